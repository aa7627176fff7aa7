// RFC 8482 §4.1: a query for ANY is answered with one RRset of the name, chosen as NSD 4 chooses
// from a zone file written in type order (our export): the first of the small, common types
// (A, SOA, PTR, MX, AAAA — in type order), otherwise the last other type, otherwise the last of
// the large DNSSEC types; NSEC3 and NSEC3PARAM are never chosen.

import type { RRset, ZoneNode } from "./zone.ts";

const PREFERRED = new Set([1, 6, 12, 15, 28]); // A SOA PTR MX AAAA
const LAST_RESORT = new Set([46, 47, 48]); // RRSIG NSEC DNSKEY
const NEVER = new Set([50, 51]); // NSEC3 NSEC3PARAM

export function minimalAnyRRset(node: ZoneNode): RRset | undefined {
  let preferred: RRset | undefined;
  let normal: RRset | undefined;
  let lastResort: RRset | undefined;
  for (const set of node.rrsets.values()) {
    if (NEVER.has(set.type)) continue;
    if (PREFERRED.has(set.type)) {
      if (!preferred || set.type < preferred.type) preferred = set;
    } else if (LAST_RESORT.has(set.type)) {
      if (!lastResort || set.type > lastResort.type) lastResort = set;
    } else if (!normal || set.type > normal.type) normal = set;
  }
  return preferred ?? normal ?? lastResort;
}
