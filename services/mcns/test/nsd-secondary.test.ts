// NSD as a secondary: transfers the zone from mcns by AXFR, then follows a change after NOTIFY.
// Also checks the transfer ACL and IXFR from the change journal.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { freeTcpUdpPort as freeDnsPort } from "@metacircular/testkit";
import { RR } from "../src/dns/constants.ts";
import { buildMessage, parseMessage } from "../src/dns/message.ts";
import { parseRdata } from "../src/dns/rdata.ts";
import { ApiOps } from "../src/records/api-ops.ts";
import { dig } from "./helpers/dig.ts";
import { ADMIN, loadTestZone, startTestMcns, type TestMcns, ZONE } from "./helpers/mcns.ts";
import { type NsdHandle, startNsd } from "./helpers/nsd.ts";
import { tcpExchange } from "./helpers/udp.ts";

let mcns: TestMcns;
let nsd: NsdHandle;
let nsdPort: number;

before(async () => {
  nsdPort = await freeDnsPort();
  mcns = await startTestMcns(
    { transfer: { allow: ["127.0.0.1"], notify: [`127.0.0.1:${nsdPort}`] } },
    { noApi: true },
  );
  loadTestZone(mcns);
});
after(async () => {
  await nsd?.stop();
  await mcns?.stop();
});

async function waitFor<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}: ${nsd?.log()}`);
}

test("NSD transfers the zone by AXFR and follows changes after NOTIFY", async () => {
  nsd = await startNsd([{ name: ZONE, primary: `127.0.0.1:${mcns.dnsPort}` }], { port: nsdPort });
  const serial = mcns.store.registry.get(`${ZONE}.`)!.serial;
  await waitFor(async () => {
    const r = await dig(nsd.port, `${ZONE}.`, "SOA");
    return r.answer[0] && Number(r.answer[0].data.split(" ")[2]) === serial ? true : undefined;
  }, "initial AXFR");
  const www = await dig(nsd.port, `mcq.${ZONE}.`, "A");
  assert.deepEqual(
    www.answer.map((a) => a.data),
    ["100.95.252.120"],
  );

  new ApiOps(mcns.store).createRecord(ADMIN, ZONE, { name: "added", type: "A", value: "10.7.7.7" });
  const got = await waitFor(async () => {
    const r = await dig(nsd.port, `added.${ZONE}.`, "A");
    return r.answer.length ? r.answer.map((a) => a.data) : undefined;
  }, "change after NOTIFY");
  assert.deepEqual(got, ["10.7.7.7"]);
});

test("AXFR from an address outside the ACL is refused", async () => {
  const other = await startTestMcns({ transfer: { allow: ["10.9.9.9"] } }, { noApi: true });
  try {
    loadTestZone(other);
    const q = buildMessage({
      id: 5,
      flags: 0,
      question: { name: `${ZONE}.`, type: RR.AXFR, class: 1 },
    });
    const [resp] = await tcpExchange(other.dnsTcpPort, [q], 1);
    assert.equal(resp![3]! & 0xf, 5);
  } finally {
    await other.stop();
  }
});

test("IXFR sends only the journal difference when it covers the client's serial", async () => {
  const ops = new ApiOps(mcns.store);
  const r1 = ops.createRecord(ADMIN, ZONE, { name: "ixfr1", type: "A", value: "10.8.8.1" });
  const base = mcns.store.registry.get(`${ZONE}.`)!.serial;
  ops.createRecord(ADMIN, ZONE, { name: "ixfr2", type: "A", value: "10.8.8.2" });
  ops.deleteRecord(ADMIN, ZONE, r1.id);
  const now = mcns.store.registry.get(`${ZONE}.`)!.serial;
  const q = buildMessage({
    id: 6,
    flags: 0,
    question: { name: `${ZONE}.`, type: RR.IXFR, class: 1 },
    authority: [
      {
        name: `${ZONE}.`,
        type: RR.SOA,
        class: 1,
        ttl: 0,
        rdata: parseRdata(RR.SOA, `a. b. ${base} 0 0 0 0`),
      },
    ],
  });
  const [resp] = await tcpExchange(mcns.dnsTcpPort, [q], 1);
  const m = parseMessage(resp!);
  const types = m.answers.map((a) => a.type);
  assert.equal(types[0], RR.SOA);
  assert.equal(types.at(-1), RR.SOA);
  assert.equal(resp!.readUInt32BE(m.answers[0]!.rdOffset + m.answers[0]!.rdLength - 20), now);
  assert.ok(m.answers.length < 10, `incremental, not a full zone (${m.answers.length} records)`);
  const names = m.answers.filter((a) => a.type === RR.A).map((a) => a.name);
  assert.deepEqual(names.sort(), [`ixfr1.${ZONE}.`, `ixfr2.${ZONE}.`]);
});
