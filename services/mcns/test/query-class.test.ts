// Issue #12 item 1 on the real server with real clients: one query in class ANY (or CH) must not
// change what later IN queries for the same name get. Before the fix the cached answer carried
// the first query's class in its question, so dig reported "Question section mismatch" and
// Node's resolver timed out until the entry left the cache.

import assert from "node:assert/strict";
import { Resolver } from "node:dns/promises";
import { after, before, test } from "node:test";
import { CLASS_ANY, RR } from "../src/dns/constants.ts";
import { parseMessage } from "../src/dns/message.ts";
import { dig, kdig } from "./helpers/dig.ts";
import { loadTestZone, startTestMcns, type TestMcns, ZONE } from "./helpers/mcns.ts";
import { encodeQuery, questionBytes } from "./helpers/raw-query.ts";
import { tcpExchange, udpExchange } from "./helpers/udp.ts";

let h: TestMcns;
before(async () => {
  h = await startTestMcns({}, { noApi: true });
  loadTestZone(h);
});
after(() => h.stop());

const MAIL = `mail.${ZONE}.`;

test("after a class ANY query, dig and kdig get IN answers with their own question (UDP and TCP)", async () => {
  const anyClass = await dig(h.dnsPort, MAIL, "A", ["-c", "ANY"]);
  assert.equal(anyClass.status, "NOERROR");
  assert.ok(!anyClass.flags.includes("aa"), "QCLASS=* answers are not authoritative (NSD)");
  assert.deepEqual(
    anyClass.answer.map((a) => a.data),
    ["10.0.0.3"],
  );
  for (const tcp of [[], ["+tcp"]]) {
    const r = await dig(h.dnsPort, MAIL, "A", tcp);
    assert.equal(r.status, "NOERROR");
    assert.ok(r.flags.includes("aa"));
    assert.doesNotMatch(r.raw, /mismatch/i);
    assert.deepEqual(
      r.answer.map((a) => a.data),
      ["10.0.0.3"],
    );
    const k = await kdig(h.dnsPort, MAIL, "A", tcp);
    assert.equal(k.status, "NOERROR");
    assert.deepEqual(
      k.answer.map((a) => a.data),
      ["10.0.0.3"],
    );
  }
});

test("Node's resolver keeps resolving a name queried in class ANY and CH before", async () => {
  await dig(h.dnsPort, MAIL, "A", ["-c", "ANY"]);
  const ch = await dig(h.dnsPort, MAIL, "A", ["-c", "CH"]);
  assert.equal(ch.status, "REFUSED", "only IN data is served (NSD and Knot refuse CH too)");
  const r = new Resolver({ timeout: 3000, tries: 1 });
  r.setServers([`127.0.0.1:${h.dnsPort}`]);
  assert.deepEqual(await r.resolve4(MAIL), ["10.0.0.3"]);
});

test("every variant of one name gets its own question bytes back: class, 0x20 case, EDNS", async () => {
  const variants = [
    { name: "mail.svc.mcp.metacircular.net.", klass: CLASS_ANY },
    { name: "MaIl.SvC.mCp.MeTaCiRcUlAr.NeT.", klass: 1, edns: 1232 },
    { name: "MAIL.SVC.MCP.METACIRCULAR.NET.", klass: CLASS_ANY, edns: 512 },
    { name: "mAiL.sVc.McP.mEtAcIrCuLaR.nEt.", klass: 1 },
    { name: "Mail.Svc.Mcp.Metacircular.Net.", klass: 3 },
  ];
  for (let round = 0; round < 2; round++) {
    for (const [i, v] of variants.entries()) {
      const wire = encodeQuery({ id: 100 + i, type: RR.A, ...v });
      const udp = await udpExchange(h.dnsPort, wire);
      const [tcp] = await tcpExchange(h.dnsPort, [wire], 1);
      for (const resp of [udp!, tcp!]) {
        assert.ok(questionBytes(resp).equals(questionBytes(wire)), `${v.name} class ${v.klass}`);
        const m = parseMessage(resp);
        assert.equal(m.id, 100 + i);
        assert.equal(m.rcode, v.klass === 3 ? 5 : 0);
        assert.equal(m.edns !== undefined, v.edns !== undefined);
      }
    }
  }
});
