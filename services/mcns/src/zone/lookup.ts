// Authoritative answer logic (RFC 1034 §4.3.2, RFC 2308, RFC 4592): delegations, exact matches,
// CNAME chasing within the zone, wildcard synthesis, NXDOMAIN vs NODATA, additional A/AAAA.

import { RCODE, RR } from "../dns/constants.ts";
import type { ResourceRecord } from "../dns/message.ts";
import { isSubdomain, lowerName, parentName } from "../dns/name.ts";
import { rdataTarget } from "../dns/rdata.ts";
import { type RRset, toRecord, type Zone, type ZoneNode } from "./zone.ts";

export interface AuthAnswer {
  rcode: number;
  aa: boolean;
  answer: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[];
}

const MAX_CHAIN = 8;

export function lookup(zone: Zone, qname: string, qtype: number): AuthAnswer {
  const res: AuthAnswer = {
    rcode: RCODE.NOERROR,
    aa: true,
    answer: [],
    authority: [],
    additional: [],
  };
  let name = qname;
  const seen = new Set<string>();
  for (let hop = 0; hop < MAX_CHAIN; hop++) {
    const key = lowerName(name);
    seen.add(key);
    const cut = findDelegation(zone, key);
    if (cut) {
      if (hop === 0) res.aa = false;
      res.authority.push(...toRecord(cut.rrset, cut.node.name));
      addGlue(zone, cut.rrset, res);
      return res;
    }
    let node = zone.nodes.get(key);
    let owner = name;
    if (!node && !zone.existing.has(key)) {
      node = wildcardFor(zone, key);
      if (!node) {
        // A chain that leaves existing data keeps NOERROR only when the first name existed.
        res.rcode = RCODE.NXDOMAIN;
        res.authority.push(zone.negativeSoa());
        return res;
      }
    }
    if (!node) {
      res.authority.push(zone.negativeSoa()); // empty non-terminal: NODATA
      return res;
    }
    owner = name;
    const cname = node.rrsets.get(RR.CNAME);
    if (cname && qtype !== RR.CNAME && qtype !== RR.ANY) {
      res.answer.push(...toRecord(cname, owner));
      const target = rdataTarget(cname.rdatas[0]!)!;
      const tkey = lowerName(target);
      if (!isSubdomain(tkey, zone.key) || seen.has(tkey)) return res;
      name = target;
      continue;
    }
    if (qtype === RR.ANY) {
      for (const set of node.rrsets.values()) res.answer.push(...toRecord(set, owner));
      return res;
    }
    const set = node.rrsets.get(qtype);
    if (!set) {
      res.authority.push(zone.negativeSoa());
      return res;
    }
    res.answer.push(...toRecord(set, owner));
    addAdditional(zone, set, res);
    return res;
  }
  return res;
}

/** The closest NS set strictly below the apex at or above `key`, if any. */
function findDelegation(zone: Zone, key: string): { node: ZoneNode; rrset: RRset } | undefined {
  let found: { node: ZoneNode; rrset: RRset } | undefined;
  for (let p = key; p !== zone.key && isSubdomain(p, zone.key); p = parentName(p)) {
    const n = zone.nodes.get(p);
    const ns = n?.rrsets.get(RR.NS);
    if (n && ns) found = { node: n, rrset: ns };
  }
  return found;
}

/** RFC 4592: the source of synthesis is "*" below the closest encloser. */
function wildcardFor(zone: Zone, key: string): ZoneNode | undefined {
  let p = parentName(key);
  while (isSubdomain(p, zone.key)) {
    if (zone.existing.has(p)) return zone.nodes.get(`*.${p}`);
    if (p === zone.key) break;
    p = parentName(p);
  }
  return undefined;
}

function addresses(zone: Zone, target: string, res: AuthAnswer): void {
  const n = zone.nodes.get(lowerName(target));
  if (!n) return;
  for (const t of [RR.A, RR.AAAA]) {
    const s = n.rrsets.get(t);
    if (s) res.additional.push(...toRecord(s, n.name));
  }
}

function addAdditional(zone: Zone, set: RRset, res: AuthAnswer): void {
  if (set.type !== RR.MX && set.type !== RR.NS && set.type !== RR.SRV) return;
  for (const rd of set.rdatas) {
    const t = rdataTarget(rd);
    if (t && isSubdomain(lowerName(t), zone.key)) addresses(zone, t, res);
  }
}

function addGlue(zone: Zone, set: RRset, res: AuthAnswer): void {
  for (const rd of set.rdatas) {
    const t = rdataTarget(rd);
    if (t) addresses(zone, t, res);
  }
}
