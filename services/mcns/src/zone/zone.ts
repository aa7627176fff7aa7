// In-memory zone: the index DNS queries are answered from. Built from stored records; replaced
// wholesale (copy-on-write) after each committed mutation, so readers never see partial state.

import { CLASS_IN, RR } from "../dns/constants.ts";
import type { ResourceRecord } from "../dns/message.ts";
import { isSubdomain, lowerName, parentName } from "../dns/name.ts";
import { parseRdata, type Rdata } from "../dns/rdata.ts";

export interface SoaFields {
  primaryNs: string;
  adminEmail: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
  ttl: number;
}

export interface ZoneRecordInput {
  name: string; // absolute
  type: number;
  ttl: number;
  value: string; // presentation RDATA, absolute names
}

export interface RRset {
  name: string;
  type: number;
  ttl: number;
  rdatas: Rdata[];
}

export interface ZoneNode {
  name: string;
  rrsets: Map<number, RRset>;
}

export class Zone {
  readonly key: string;
  readonly nodes = new Map<string, ZoneNode>();
  /** Every name that exists, including empty non-terminals (RFC 8020 / 4592). */
  readonly existing = new Set<string>();
  readonly soa: RRset;

  constructor(
    readonly origin: string,
    readonly soaFields: SoaFields,
    records: ZoneRecordInput[],
  ) {
    this.key = lowerName(origin);
    const s = soaFields;
    const soaText = `${s.primaryNs} ${s.adminEmail} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
    this.soa = { name: origin, type: RR.SOA, ttl: s.ttl, rdatas: [parseRdata(RR.SOA, soaText)] };
    this.node(origin).rrsets.set(RR.SOA, this.soa);
    for (const r of records) {
      const n = this.node(r.name);
      let set = n.rrsets.get(r.type);
      if (!set) {
        set = { name: n.name, type: r.type, ttl: r.ttl, rdatas: [] };
        n.rrsets.set(r.type, set);
      }
      // RFC 2181 §5.2: one TTL per RRset; the lowest wins.
      if (r.ttl < set.ttl) set.ttl = r.ttl;
      set.rdatas.push(parseRdata(r.type, r.value));
    }
  }

  private node(name: string): ZoneNode {
    const k = lowerName(name);
    let n = this.nodes.get(k);
    if (!n) {
      n = { name, rrsets: new Map() };
      this.nodes.set(k, n);
      for (let p = k; isSubdomain(p, this.key); p = parentName(p)) {
        this.existing.add(p);
        if (p === this.key) break;
      }
    }
    return n;
  }

  get serial(): number {
    return this.soaFields.serial;
  }

  /** The SOA for negative answers: TTL = min(SOA TTL, minimum) per RFC 2308 §5. */
  negativeSoa(): ResourceRecord {
    return {
      name: this.origin,
      type: RR.SOA,
      class: CLASS_IN,
      ttl: Math.min(this.soa.ttl, this.soaFields.minimum),
      rdata: this.soa.rdatas[0]!,
    };
  }

  /** All records in canonical-ish order, SOA first (for AXFR and zone file export). */
  allRecords(): ResourceRecord[] {
    const out: ResourceRecord[] = [toRecord(this.soa, this.origin)[0]!];
    const names = [...this.nodes.keys()].sort(compareNames);
    for (const k of names) {
      const n = this.nodes.get(k)!;
      for (const set of [...n.rrsets.values()].sort((a, b) => a.type - b.type)) {
        if (set.type === RR.SOA && k === this.key) continue;
        out.push(...toRecord(set, n.name));
      }
    }
    return out;
  }
}

export function toRecord(set: RRset, owner: string): ResourceRecord[] {
  return set.rdatas.map((rdata) => ({
    name: owner,
    type: set.type,
    class: CLASS_IN,
    ttl: set.ttl,
    rdata,
  }));
}

/** Orders names by their labels from the right (RFC 4034 §6.1, approximately). */
export function compareNames(a: string, b: string): number {
  const la = a.split(".").reverse();
  const lb = b.split(".").reverse();
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return la[i]! < lb[i]! ? -1 : 1;
  }
  return la.length - lb.length;
}
