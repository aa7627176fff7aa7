// Three zones served together (the test zone, a hosted child below its `sub` cut, and an
// unrelated zone) for answers that cross zone boundaries: DS at cuts, CNAMEs into another zone,
// minimal ANY. Loaded into mcns through the API operations and into NSD/Knot from mcns's export.

import { exportMasterFile } from "../../src/zone/master-file.ts";
import { loadTestZone, type TestMcns, ZONE, ZONE_FILE } from "./mcns.ts";

export const CHILD = `sub.${ZONE}`;
export const OTHER = "other.example";

/** DS RDATA (key tag 12345, RSA/SHA-256, SHA-1 digest) in RFC 3597 form. */
export const DS_HEX = "303908010102030405060708090a0b0c0d0e0f1011121314";

/** Length of the chain `zig0.<ZONE>` → `zig1.<OTHER>` → `zig2.<ZONE>` … → an address. */
export const ZIGZAG = 24;

/** This zone's links of the zigzag chain: even hops live in the parent zone, odd in OTHER. */
function zigzag(origin: string, parity: number): string {
  const zoneOf = (i: number) => (i % 2 === 0 ? ZONE : OTHER);
  let out = "";
  for (let i = parity; i <= ZIGZAG; i += 2)
    out +=
      i === ZIGZAG
        ? `zig${i}.${origin}. 300 IN A 192.0.2.77\n`
        : `zig${i}.${origin}. 300 IN CNAME zig${i + 1}.${zoneOf(i + 1)}.\n`;
  return out;
}

export const PARENT_FILE = `${ZONE_FILE}secure   300 IN NS ns.sub
secure   300 IN TYPE43 \\# 24 ${DS_HEX}
unsigned 300 IN NS ns.sub
tocross  300 IN CNAME c.${OTHER}.
tomissing 300 IN CNAME nope.${OTHER}.
tochild  300 IN CNAME x.${CHILD}.
toloop   300 IN CNAME l1.${OTHER}.
m1       300 IN TXT "t"
m1       300 IN CAA 0 issue "ca.example"
m1       300 IN SRV 1 1 1 mcq
m2       300 IN AAAA ::1
m2       300 IN A 192.0.2.2
m3       300 IN TXT "a"
m3       300 IN MX 1 mcq
m3       300 IN PTR mcq.${ZONE}.
m4       300 IN SRV 1 1 1 mcq
m4       300 IN TXT "a"
${zigzag(ZONE, 0)}`;

export const CHILD_FILE = `$ORIGIN ${CHILD}.
$TTL 300
@   IN SOA ns hostmaster 2026010101 3600 600 1209600 120
@   IN NS  ns
ns  IN A   10.0.0.53
x   IN A   10.1.1.1
back IN CNAME mcq.${ZONE}.
`;

export const OTHER_FILE = `$ORIGIN ${OTHER}.
$TTL 300
@    IN SOA ns hostmaster 7 3600 600 1209600 60
@    IN NS  ns
ns   IN A   192.0.2.54
t    IN A   192.0.2.10
c    IN CNAME t
back IN CNAME mail.${ZONE}.
l1   IN CNAME l2
l2   IN CNAME toloop.${ZONE}.
${zigzag(OTHER, 1)}`;

export function loadMultiZones(h: TestMcns): void {
  loadTestZone(h, ZONE, PARENT_FILE);
  loadTestZone(h, CHILD, CHILD_FILE);
  loadTestZone(h, OTHER, OTHER_FILE);
}

/** The three zones as mcns exports them, for NSD/Knot. */
export function exportedZones(h: TestMcns): Array<{ name: string; text: string }> {
  return [ZONE, CHILD, OTHER].map((name) => ({
    name,
    text: exportMasterFile(h.store.registry.get(`${name}.`)!),
  }));
}
