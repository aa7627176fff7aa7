// Response rate limiting on the real UDP listener: a burst beyond the limit is mostly dropped,
// with truncated "slip" answers telling real clients to retry over TCP (which is not limited).

import assert from "node:assert/strict";
import dgram from "node:dgram";
import { after, before, test } from "node:test";
import { dnsSection } from "../src/config.ts";
import { RR } from "../src/dns/constants.ts";
import { buildQuery } from "../src/dns/message.ts";
import { dig } from "./helpers/dig.ts";
import { loadTestZone, startTestMcns, type TestMcns } from "./helpers/mcns.ts";
import { ensureUdpAddon, UDP_IOS } from "./helpers/native.ts";

const byIo = new Map<string, TestMcns>();
let byDefault: TestMcns;
before(async () => {
  // No rate_limit in the config: NSD's default (200/s per network, slip 2) applies.
  byDefault = await startTestMcns({ dns: { rate_limit: undefined } }, { noApi: true });
  loadTestZone(byDefault);
  ensureUdpAddon();
  for (const io of UDP_IOS) {
    const h = await startTestMcns(
      { dns: { rate_limit: 10, rate_limit_slip: 2, udp_io: io } },
      { noApi: true },
    );
    loadTestZone(h);
    byIo.set(io, h);
  }
});
after(async () => {
  for (const h of byIo.values()) await h.stop();
  await byDefault?.stop();
});

/**
 * The burst's client: a large receive buffer, so the answers are not dropped by the kernel while
 * this process is busy sending the burst (or not scheduled) and the later, slipped ones get in.
 */
const burstSocket = () => dgram.createSocket({ type: "udp4", recvBufferSize: 4 << 20 });

test("RRL is on when the config does not set it (NSD's defaults: 200/s, slip 2)", async () => {
  const dns = dnsSection.parse({});
  assert.equal(dns.rate_limit, 200);
  assert.equal(dns.rate_limit_slip, 2);
  const s = burstSocket();
  const replies: Buffer[] = [];
  s.on("message", (m) => replies.push(m));
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", () => r()));
  for (let i = 0; i < 1000; i++)
    s.send(buildQuery(i, "mcq.svc.mcp.metacircular.net.", RR.A), byDefault.dnsPort, "127.0.0.1");
  let seen = -1;
  for (let i = 0; i < 50 && (replies.length === 0 || replies.length !== seen); i++) {
    seen = replies.length;
    await new Promise((r) => setTimeout(r, 300));
  }
  s.close();
  // 200 tokens to start with, refilled at 200/s: a 1,000-query burst cannot all be answered
  // unless it took longer than four seconds to send.
  assert.ok(byDefault.responder.stats.rateLimited > 0, "some responses were limited");
  assert.ok(
    replies.some((m) => (m[2]! & 0x02) !== 0),
    "slipped (TC) answers were sent",
  );
});

for (const io of UDP_IOS)
  test(`a burst over the limit is dropped or slipped (${io}); TCP still answers`, async () => {
    const h = byIo.get(io)!;
    assert.equal(h.udpIo, io);
    await burst(h);
  });

async function burst(h: TestMcns): Promise<void> {
  const s = burstSocket();
  const replies: Buffer[] = [];
  s.on("message", (m) => replies.push(m));
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", () => r()));
  for (let i = 0; i < 100; i++)
    s.send(buildQuery(i, "mcq.svc.mcp.metacircular.net.", RR.A), h.dnsPort, "127.0.0.1");
  // Wait until the replies stop coming (a loaded machine can delay them well past 500 ms).
  let seen = -1;
  for (let i = 0; i < 50 && (replies.length === 0 || replies.length !== seen); i++) {
    seen = replies.length;
    await new Promise((r) => setTimeout(r, 300));
  }
  s.close();
  const full = replies.filter((m) => (m[2]! & 0x02) === 0);
  const slipped = replies.filter((m) => (m[2]! & 0x02) !== 0);
  // The bucket refills at 10/s, so the exact split depends on how long the burst took; the
  // bounds below hold for any burst shorter than a few seconds.
  assert.ok(full.length >= 10 && full.length < 60, `full answers: ${full.length}`);
  assert.ok(slipped.length > 0, `slipped: ${slipped.length}`);
  assert.ok(replies.length < 100, `total: ${replies.length}`);
  assert.ok(h.responder.stats.rateLimited >= 40);
  const tcp = await dig(h.dnsPort, "mcq.svc.mcp.metacircular.net", "A", ["+tcp"]);
  assert.deepEqual(
    tcp.answer.map((a) => a.data),
    ["100.95.252.120"],
  );
}
