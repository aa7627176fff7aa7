// Hand-built packets: case preservation, compression, error handling and TCP pipelining.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { RR } from "../src/dns/constants.ts";
import { buildQuery, parseMessage, recordText } from "../src/dns/message.ts";
import { loadTestZone, startTestMcns, type TestMcns } from "./helpers/mcns.ts";
import { tcpExchange, udpExchange } from "./helpers/udp.ts";

let h: TestMcns;
before(async () => {
  h = await startTestMcns({}, { noApi: true });
  loadTestZone(h);
});
after(() => h.stop());

test("the question's case is echoed and answer owners point at it", async () => {
  for (const name of [
    "MCQ.Svc.Mcp.MetaCircular.NET.",
    "mcq.svc.mcp.metacircular.net.",
    "McQ.sVc.mCp.mEtAcIrCuLaR.nEt.",
  ]) {
    const resp = await udpExchange(h.dnsPort, buildQuery(0x4242, name, RR.A, { rd: false }));
    assert.ok(resp);
    const m = parseMessage(resp);
    assert.equal(m.id, 0x4242);
    assert.equal(m.questions[0]!.name, name);
    assert.equal(m.answers[0]!.name, name, "owner compressed to the question keeps its case");
    assert.equal(recordText(resp, m.answers[0]!), "100.95.252.120");
    // Owner is a compression pointer to offset 12.
    const qEnd = 12 + name.length + 1 + 4;
    assert.equal(resp.readUInt16BE(qEnd), 0xc00c);
  }
});

test("CNAME targets and MX exchanges are compressed against earlier names", async () => {
  const resp = await udpExchange(h.dnsPort, buildQuery(1, "svc.mcp.metacircular.net.", RR.MX));
  assert.ok(resp);
  const m = parseMessage(resp);
  assert.equal(recordText(resp, m.answers[0]!), "10 mail.svc.mcp.metacircular.net.");
  assert.equal(m.answers[0]!.rdLength, 2 + 1 + 4 + 2, "preference + 'mail' + pointer");
});

test("malformed and unsupported messages get the right error (or silence)", async () => {
  const q = buildQuery(7, "mcq.svc.mcp.metacircular.net.", RR.A);
  // Truncated question → FORMERR.
  const formerr = await udpExchange(h.dnsPort, q.subarray(0, q.length - 3));
  assert.ok(formerr);
  assert.equal(formerr[3]! & 0xf, 1);
  // Unknown opcode (STATUS=2) → NOTIMP.
  const status = Buffer.from(q);
  status[2] = (status[2]! & 0x87) | (2 << 3);
  const notimp = await udpExchange(h.dnsPort, status);
  assert.equal(notimp![3]! & 0xf, 4);
  // A response (QR set) is never answered.
  const resp = Buffer.from(q);
  resp[2] = resp[2]! | 0x80;
  assert.equal(await udpExchange(h.dnsPort, resp, 300), null);
  // Two questions → FORMERR.
  const two = Buffer.from(q);
  two.writeUInt16BE(2, 4);
  assert.equal((await udpExchange(h.dnsPort, two))![3]! & 0xf, 1);
  // Class CH → REFUSED.
  const ch = Buffer.from(q);
  ch.writeUInt16BE(3, ch.length - 2);
  assert.equal((await udpExchange(h.dnsPort, ch))![3]! & 0xf, 5);
  // AXFR over UDP → REFUSED.
  const axfr = buildQuery(8, "svc.mcp.metacircular.net.", RR.AXFR);
  assert.equal((await udpExchange(h.dnsPort, axfr))![3]! & 0xf, 5);
});

test("TCP carries several pipelined queries on one connection", async () => {
  const qs = [1, 2, 3].map((i) => buildQuery(i, "mcq.svc.mcp.metacircular.net.", RR.A));
  const out = await tcpExchange(h.dnsTcpPort, qs, 3);
  assert.deepEqual(out.map((r) => parseMessage(r).id).sort(), [1, 2, 3]);
});

test("changes are visible to queries immediately", async () => {
  const { ApiOps } = await import("../src/records/api-ops.ts");
  const { ADMIN } = await import("./helpers/mcns.ts");
  const ops = new ApiOps(h.store);
  const q = () => udpExchange(h.dnsPort, buildQuery(9, "fresh.svc.mcp.metacircular.net.", RR.A));
  assert.equal((await q())![3]! & 0xf, 3);
  const rec = ops.createRecord(ADMIN, "svc.mcp.metacircular.net", {
    name: "fresh",
    type: "A",
    value: "10.1.1.1",
  });
  const r1 = (await q())!;
  assert.equal(recordText(r1, parseMessage(r1).answers[0]!), "10.1.1.1");
  ops.updateRecord(ADMIN, "svc.mcp.metacircular.net", rec.id, {
    name: "fresh",
    type: "A",
    value: "10.1.1.2",
  });
  const r2 = (await q())!;
  assert.equal(recordText(r2, parseMessage(r2).answers[0]!), "10.1.1.2");
  ops.deleteRecord(ADMIN, "svc.mcp.metacircular.net", rec.id);
  assert.equal((await q())![3]! & 0xf, 3);
});
