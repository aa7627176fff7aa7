// Authoritative answer logic (RFC 1034 §4.3.2, RFC 2308, RFC 4592): delegations, exact matches,
// CNAME chasing across the zones served, wildcard synthesis, NXDOMAIN vs NODATA, additional
// A/AAAA, DS from the parent side of a cut, minimal ANY (RFC 8482).

import { RCODE, RR } from "../dns/constants.ts";
import type { ResourceRecord } from "../dns/message.ts";
import { isSubdomain, lowerName, parentName } from "../dns/name.ts";
import { rdataTarget } from "../dns/rdata.ts";
import { minimalAnyRRset } from "./minimal-any.ts";
import { type RRset, toRecord, type Zone, type ZoneNode } from "./zone.ts";

export interface AuthAnswer {
  rcode: number;
  aa: boolean;
  answer: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[];
}

/**
 * Most CNAMEs followed in one answer, across every zone served; a loop stops at the first name
 * seen twice. NSD has no smaller limit (it follows 100 in one answer); past the client's UDP
 * size the answer is truncated and the client retries over TCP.
 */
const MAX_CHAIN = 128;
/** DS lives on the parent side of a zone cut (RFC 4034 §5, RFC 4035 §3.1.4.1). */
export const TYPE_DS = 43;

/** The zone answering for a lowercase name (longest match; the parent for DS at a cut). */
export type ZoneFinder = (name: string, qtype: number) => Zone | undefined;

/**
 * Answers `qname`/`qtype` from `zone`, following CNAMEs into any other zone `findZone` knows
 * (RFC 1034 §4.3.2 step 3a) until the chain ends, loops or reaches MAX_CHAIN.
 */
export function lookup(zone: Zone, qname: string, qtype: number, findZone: ZoneFinder): AuthAnswer {
  const res: AuthAnswer = {
    rcode: RCODE.NOERROR,
    aa: true,
    answer: [],
    authority: [],
    additional: [],
  };
  let name = qname;
  let z = zone;
  const seen = new Set<string>();
  for (let hop = 0; hop < MAX_CHAIN; hop++) {
    const key = lowerName(name);
    seen.add(key);
    const cut = findDelegation(z, key, qtype === TYPE_DS);
    if (cut) {
      if (hop === 0) res.aa = false;
      res.authority.push(...toRecord(cut.rrset, cut.node.name));
      addGlue(z, cut.rrset, res);
      return res;
    }
    const node = z.nodes.get(key) ?? (z.existing.has(key) ? undefined : wildcardFor(z, key));
    if (!node) {
      // Empty non-terminal: NODATA. No name at all: NXDOMAIN, for the last name of a chain too
      // (RFC 6604 §2.1).
      if (!z.existing.has(key)) res.rcode = RCODE.NXDOMAIN;
      res.authority.push(z.negativeSoa());
      return res;
    }
    const cname = node.rrsets.get(RR.CNAME);
    if (cname && qtype !== RR.CNAME && qtype !== RR.ANY) {
      res.answer.push(...toRecord(cname, name));
      const target = rdataTarget(cname.rdatas[0]!)!;
      const tkey = lowerName(target);
      const next = seen.has(tkey) ? undefined : findZone(tkey, qtype);
      if (!next) return res;
      z = next;
      name = target;
      continue;
    }
    const set = qtype === RR.ANY ? minimalAnyRRset(node) : node.rrsets.get(qtype);
    if (!set) {
      res.authority.push(z.negativeSoa());
      return res;
    }
    res.answer.push(...toRecord(set, name));
    addAdditional(z, set, res);
    return res;
  }
  return res;
}

/**
 * The closest NS set strictly below the apex at or above `key`, if any; for DS the cut at `key`
 * itself does not count (its DS is parent-side data).
 */
function findDelegation(
  zone: Zone,
  key: string,
  parentSide: boolean,
): { node: ZoneNode; rrset: RRset } | undefined {
  let found: { node: ZoneNode; rrset: RRset } | undefined;
  const start = parentSide && key !== zone.key ? parentName(key) : key;
  for (let p = start; p !== zone.key && isSubdomain(p, zone.key); p = parentName(p)) {
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
