// Issue #12 items 2–4 with dig and kdig on the real server, three zones hosted together
// (helpers/multi-zone.ts): DS is answered from the parent side of a cut (RFC 4034 §5, RFC 4035
// §3.1.4.1), CNAMEs are followed into another hosted zone (RFC 1034 §4.3.2), and ANY gets one
// RRset (RFC 8482) — each as NSD answers (question-differential.test.ts compares with NSD).

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { dig, kdig } from "./helpers/dig.ts";
import { startTestMcns, type TestMcns, ZONE } from "./helpers/mcns.ts";
import { CHILD, loadMultiZones, OTHER, ZIGZAG } from "./helpers/multi-zone.ts";

let h: TestMcns;
before(async () => {
  h = await startTestMcns({}, { noApi: true });
  loadMultiZones(h);
});
after(() => h.stop());

const soaOf = (r: Awaited<ReturnType<typeof dig>>) =>
  r.authority.filter((a) => a.type === "SOA").map((a) => a.name.toLowerCase());

for (const tool of ["dig", "kdig"] as const)
  for (const tcp of [false, true])
    describe(`${tool} over ${tcp ? "TCP" : "UDP"}`, () => {
      const q = (name: string, type: string) =>
        (tool === "dig" ? dig : kdig)(h.dnsPort, name, type, tcp ? ["+tcp"] : []);

      test("DS at a hosted child's apex comes from the parent: NODATA with the parent's SOA", async () => {
        const r = await q(`${CHILD}.`, "DS");
        assert.equal(r.status, "NOERROR");
        assert.ok(r.flags.includes("aa"));
        assert.deepEqual(r.answer, []);
        assert.deepEqual(soaOf(r), [`${ZONE}.`]);
        // Other types at the child's apex still come from the child.
        const ns = await q(`${CHILD}.`, "NS");
        assert.ok(ns.flags.includes("aa"));
        assert.deepEqual(
          ns.answer.map((a) => a.data),
          [`ns.${CHILD}.`],
        );
      });

      test("DS at a delegation we do not host is parent data, not a referral", async () => {
        const none = await q(`unsigned.${ZONE}.`, "DS");
        assert.equal(none.status, "NOERROR");
        assert.ok(none.flags.includes("aa"), "authoritative NODATA, not a referral");
        assert.deepEqual(soaOf(none), [`${ZONE}.`]);
        assert.ok(!none.authority.some((a) => a.type === "NS"));
        const ds = await q(`secure.${ZONE}.`, "DS");
        assert.equal(ds.status, "NOERROR");
        assert.ok(ds.flags.includes("aa"));
        assert.deepEqual(
          ds.answer.map((a) => `${a.type} ${a.data}`),
          ["DS 12345 8 1 0102030405060708090A0B0C0D0E0F1011121314"],
        );
        // Below the cut it is still a referral.
        const below = await q(`host.unsigned.${ZONE}.`, "DS");
        assert.ok(!below.flags.includes("aa"));
        assert.deepEqual(
          below.authority.map((a) => a.type),
          ["NS"],
        );
      });

      test("CNAMEs are followed into another hosted zone, and back", async () => {
        const r = await q(`tocross.${ZONE}.`, "A");
        assert.equal(r.status, "NOERROR");
        assert.ok(r.flags.includes("aa"));
        assert.deepEqual(
          r.answer.map((a) => `${a.name} ${a.type} ${a.data}`),
          [
            `tocross.${ZONE}. CNAME c.${OTHER}.`,
            `c.${OTHER}. CNAME t.${OTHER}.`,
            `t.${OTHER}. A 192.0.2.10`,
          ],
        );
        const missing = await q(`tomissing.${ZONE}.`, "A");
        assert.equal(missing.status, "NXDOMAIN", "RFC 6604: the rcode of the last name");
        assert.deepEqual(soaOf(missing), [`${OTHER}.`]);
        const child = await q(`tochild.${ZONE}.`, "A");
        assert.deepEqual(
          child.answer.map((a) => a.data),
          [`x.${CHILD}.`, "10.1.1.1"],
        );
        const back = await q(`back.${OTHER}.`, "A");
        assert.deepEqual(
          back.answer.map((a) => a.data),
          [`mail.${ZONE}.`, "10.0.0.3"],
        );
      });

      test("a long chain zigzagging between two zones is followed to the end", async () => {
        const r = await q(`zig0.${ZONE}.`, "A");
        assert.equal(r.status, "NOERROR");
        assert.equal(r.answer.filter((a) => a.type === "CNAME").length, ZIGZAG);
        assert.deepEqual(r.answer.at(-1), {
          name: `zig${ZIGZAG}.${ZONE}.`,
          ttl: 300,
          type: "A",
          data: "192.0.2.77",
        });
      });

      test("a CNAME loop across zones ends (each name once)", async () => {
        const r = await q(`toloop.${ZONE}.`, "A");
        assert.equal(r.status, "NOERROR");
        assert.deepEqual(
          r.answer.map((a) => a.name),
          [`toloop.${ZONE}.`, `l1.${OTHER}.`, `l2.${OTHER}.`],
        );
      });

      test("ANY gets one RRset (RFC 8482), chosen as NSD chooses", async () => {
        const apex = await q(`${ZONE}.`, "ANY");
        assert.equal(apex.status, "NOERROR");
        assert.deepEqual(
          apex.answer.map((a) => a.type),
          ["SOA"],
        );
        for (const [name, type] of [
          ["mcq", "A"],
          ["m1", "CAA"],
          ["m2", "A"],
          ["m3", "PTR"],
          ["m4", "SRV"],
          ["www", "CNAME"],
        ] as const) {
          const r = await q(`${name}.${ZONE}.`, "ANY");
          assert.deepEqual(
            r.answer.map((a) => a.type),
            [type],
            name,
          );
        }
      });
    });
