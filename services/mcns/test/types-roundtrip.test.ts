// Import → export → import of a zone with every supported type gives the same text and the same
// answers, byte for byte in each record's RDATA, as NSD serving the original file.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { typeNumber } from "../src/dns/constants.ts";
import { buildQuery, type ParsedRecord, parseMessage } from "../src/dns/message.ts";
import { isKnownType, rdataToText } from "../src/dns/rdata.ts";
import { ApiOps } from "../src/records/api-ops.ts";
import { ADMIN, startTestMcns, type TestMcns } from "./helpers/mcns.ts";
import { type NsdHandle, startNsd } from "./helpers/nsd.ts";
import { TYPES_QUERIES, TYPES_ZONE, TYPES_ZONE_FILE } from "./helpers/types-zone.ts";
import { udpExchange } from "./helpers/udp.ts";

let first: TestMcns;
let second: TestMcns;
let nsd: NsdHandle;
let exported: string;
let reexported: string;

/** Types whose RDATA names may be compressed (RFC 3597 §4): compared decoded, not as bytes. */
const COMPRESSIBLE = new Set(["NS", "CNAME", "PTR", "MX", "SOA"].map((t) => typeNumber(t)!));

before(async () => {
  first = await startTestMcns({}, { noApi: true });
  second = await startTestMcns({}, { noApi: true });
  const a = new ApiOps(first.store);
  a.importZone(ADMIN, TYPES_ZONE, TYPES_ZONE_FILE, { create: true });
  exported = a.exportZone(ADMIN, TYPES_ZONE);
  const b = new ApiOps(second.store);
  b.importZone(ADMIN, TYPES_ZONE, exported, { create: true });
  reexported = b.exportZone(ADMIN, TYPES_ZONE);
  nsd = await startNsd([{ name: TYPES_ZONE, text: TYPES_ZONE_FILE }]);
});
after(async () => {
  await nsd?.stop();
  await first?.stop();
  await second?.stop();
});

test("export of an import re-imports to the identical zone file, serial included", () => {
  assert.equal(reexported, exported);
  assert.match(exported, /IN\tSOA\tns1\.types\.example\. hostmaster\.types\.example\. 2024061501 /);
  for (const t of ["HTTPS", "SVCB", "TLSA", "SSHFP", "DS", "DNSKEY", "NAPTR", "CERT", "URI"])
    assert.match(exported, new RegExp(`\\t${t}\\t`), `${t} is exported in its own form`);
  assert.doesNotMatch(exported.replace(/TYPE65400\t\\# 4 deadbeef/, ""), /\\#/);
});

function answerKey(msg: Buffer, rr: ParsedRecord): string {
  const rdata = msg.subarray(rr.rdOffset, rr.rdOffset + rr.rdLength);
  const data = COMPRESSIBLE.has(rr.type)
    ? rdataToText(rr.type, msg, rr.rdOffset, rr.rdLength).toLowerCase()
    : rdata.toString("hex");
  return `${rr.name.toLowerCase()} ${rr.class} ${rr.ttl} ${rr.type} ${data}`;
}

async function ask(port: number, name: string, type: number): Promise<Buffer> {
  for (let i = 0; i < 5; i++) {
    const r = await udpExchange(port, buildQuery(0x4d4e, name, type, { edns: 1232 }), 3000);
    if (r) return r;
  }
  throw new Error(`no answer from port ${port} for ${name} ${type}`);
}

test("the re-imported zone answers every query with NSD's RDATA bytes", async () => {
  for (const [owner, typeText] of TYPES_QUERIES) {
    const name = owner === "@" ? `${TYPES_ZONE}.` : `${owner}.${TYPES_ZONE}.`;
    const type = typeNumber(typeText)!;
    const [ours, theirs] = await Promise.all([
      ask(second.dnsPort, name, type),
      ask(nsd.port, name, type),
    ]);
    const a = parseMessage(ours);
    const b = parseMessage(theirs);
    const what = `${owner} ${typeText}`;
    assert.equal(a.rcode, b.rcode, `${what}: rcode`);
    assert.equal(a.flags & 0x0400, b.flags & 0x0400, `${what}: AA`);
    assert.deepEqual(
      a.answers.map((rr) => answerKey(ours, rr)).sort(),
      b.answers.map((rr) => answerKey(theirs, rr)).sort(),
      what,
    );
    if (isKnownType(type) && !COMPRESSIBLE.has(type) && b.answers.length > 0)
      assert.ok(a.answers.length > 0, `${what}: answered`);
  }
});
