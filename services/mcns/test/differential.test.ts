// The same zone served by NSD, by Knot and by mcns answers a query set identically (normalised:
// rcode, AA, answer and authority sections; NSD runs with minimal-responses).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { exportMasterFile } from "../src/zone/master-file.ts";
import { type DigResult, digBatch } from "./helpers/dig.ts";
import { type KnotHandle, startKnot } from "./helpers/knot.ts";
import { loadTestZone, startTestMcns, type TestMcns, ZONE } from "./helpers/mcns.ts";
import { type NsdHandle, startNsd } from "./helpers/nsd.ts";

let mcns: TestMcns;
let nsd: NsdHandle;
let knot: KnotHandle;

before(async () => {
  mcns = await startTestMcns({}, { noApi: true });
  loadTestZone(mcns);
  const zone = mcns.store.registry.get(`${ZONE}.`)!;
  nsd = await startNsd([{ name: ZONE, text: exportMasterFile(zone) }]);
  knot = await startKnot(ZONE, exportMasterFile(zone));
});
after(async () => {
  await nsd?.stop();
  await knot?.stop();
  await mcns?.stop();
});

const NAMES = [
  "@",
  "mcq",
  "MCQ",
  "www",
  "web",
  "outside",
  "mail",
  "ns1",
  "_https._tcp",
  "120",
  "big",
  "private",
  "a.apps",
  "b.c.apps",
  "apps",
  "nope",
  "x",
  "ent.x",
  "deep.ent.x",
  "sub",
  "host.sub",
  "ns.sub",
  "deep.nope",
];
const TYPES = ["A", "AAAA", "NS", "MX", "TXT", "SRV", "PTR", "CAA", "SOA", "CNAME", "TYPE65400"];

function normalise(r: DigResult) {
  const rec = (a: DigResult["answer"][number]) =>
    `${a.name.toLowerCase()} ${a.ttl} ${a.type} ${a.data}`;
  return {
    status: r.status,
    aa: r.flags.includes("aa"),
    answer: r.answer.map(rec).sort(),
    authority: r.authority.map(rec).sort(),
  };
}

for (const anchor of ["NSD", "Knot"] as const) {
  test(`${anchor} and mcns agree on every query in the set, over UDP and TCP`, async () => {
    const port = anchor === "NSD" ? nsd.port : knot.port;
    const queries: Array<[string, string]> = [];
    for (const n of NAMES)
      for (const t of TYPES) queries.push([n === "@" ? `${ZONE}.` : `${n}.${ZONE}.`, t]);
    for (const tcp of [false, true]) {
      const extra = ["+bufsize=1232", ...(tcp ? ["+tcp"] : [])];
      const [a, b] = await Promise.all([
        digBatch(port, queries, extra),
        digBatch(mcns.dnsPort, queries, extra),
      ]);
      queries.forEach(([name, t], i) => {
        assert.deepEqual(
          normalise(b[i]!),
          normalise(a[i]!),
          `${anchor}: ${name} ${t} ${tcp ? "tcp" : "udp"}`,
        );
      });
    }
  });
}
