// Forwarding to upstream resolvers (here: other real mcns instances), failover, caching with
// negative caching, and serve-stale when every upstream is gone.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ApiOps } from "../src/records/api-ops.ts";
import { dig, kdig } from "./helpers/dig.ts";
import { ADMIN, startTestMcns, type TestMcns } from "./helpers/mcns.ts";
import { ensureUdpAddon } from "./helpers/native.ts";

let upstream: TestMcns;
let resolver: TestMcns;
let refuser: TestMcns;
/** Same resolver on the node:dgram UDP path (`resolver` uses the batched native path). */
let dgramResolver: TestMcns;
/**
 * How long a resolver waits for an upstream. The upstreams answer from this process's event loop,
 * which a loaded machine can hold up for a second or more; the serve-stale test waits it out twice.
 */
const UPSTREAM_TIMEOUT_MS = 3000;

before(async () => {
  ensureUdpAddon();
  upstream = await startTestMcns({}, { noApi: true });
  const ops = new ApiOps(upstream.store);
  ops.createZone(ADMIN, { name: "example.org", minimum: 60 });
  ops.createRecord(ADMIN, "example.org", { name: "www", type: "A", ttl: 600, value: "192.0.2.10" });
  ops.createRecord(ADMIN, "example.org", { name: "Case", type: "TXT", ttl: 600, value: '"hi"' });
  for (const c of ["a", "b", "c"])
    ops.createRecord(ADMIN, "example.org", {
      name: "big",
      type: "TXT",
      value: `"${c.repeat(250)}"`,
    });
  // The first upstream refuses everything outside its (empty) zone set, forcing failover.
  refuser = await startTestMcns({}, { noApi: true });
  resolver = await startTestMcns(
    {
      forwarding: {
        enabled: true,
        upstreams: [`127.0.0.1:${refuser.dnsPort}`, `127.0.0.1:${upstream.dnsPort}`],
        timeout_ms: UPSTREAM_TIMEOUT_MS,
        serve_stale_seconds: 3600,
      },
      dns: { udp_io: "native" },
    },
    { noApi: true },
  );
  dgramResolver = await startTestMcns(
    {
      forwarding: {
        enabled: true,
        upstreams: [`127.0.0.1:${upstream.dnsPort}`],
        timeout_ms: UPSTREAM_TIMEOUT_MS,
      },
      dns: { udp_io: "dgram" },
    },
    { noApi: true },
  );
});
after(async () => {
  await dgramResolver.stop();
  await resolver.stop();
  await upstream.stop();
  await refuser.stop();
});

test("non-authoritative names are forwarded with failover and cached", async () => {
  const r = await dig(resolver.dnsPort, "www.example.org", "A", ["+rec"]);
  assert.equal(r.status, "NOERROR");
  assert.ok(r.flags.includes("ra"));
  assert.ok(!r.flags.includes("aa"), "forwarded answers are not authoritative");
  assert.deepEqual(
    r.answer.map((a) => a.data),
    ["192.0.2.10"],
  );
  const tcp = await kdig(resolver.dnsPort, "www.example.org", "A", ["+tcp", "+rec"]);
  assert.deepEqual(
    tcp.answer.map((a) => a.data),
    ["192.0.2.10"],
  );
  assert.ok(tcp.answer[0]!.ttl <= 600);
  assert.ok(resolver.responder.stats.forwardCacheHits >= 1, "second query served from cache");
});

test("forwarded (asynchronous) answers reach the client on both UDP paths", async () => {
  assert.equal(resolver.udpIo, "native");
  assert.equal(dgramResolver.udpIo, "dgram");
  for (const h of [resolver, dgramResolver]) {
    const r = await dig(h.dnsPort, "Case.EXAMPLE.org", "TXT", ["+rec"]);
    assert.equal(r.status, "NOERROR");
    assert.equal(r.answer[0]!.name, "Case.EXAMPLE.org.");
    assert.equal(r.answer[0]!.data, '"hi"');
    const tc = await dig(h.dnsPort, "big.example.org", "TXT", ["+rec", "+noedns", "+ignore"]);
    assert.ok(tc.flags.includes("tc"));
  }
});

test("NXDOMAIN is forwarded and negatively cached with the SOA", async () => {
  const before = resolver.responder.stats.forwardCacheHits;
  for (let i = 0; i < 2; i++) {
    const r = await dig(resolver.dnsPort, "missing.example.org", "A", ["+rec"]);
    assert.equal(r.status, "NXDOMAIN");
    assert.equal(r.authority[0]?.type, "SOA");
  }
  assert.equal(resolver.responder.stats.forwardCacheHits, before + 1);
});

test("large forwarded answers are truncated for small UDP clients, complete over TCP", async () => {
  const udp = await dig(resolver.dnsPort, "big.example.org", "TXT", ["+rec", "+noedns", "+ignore"]);
  assert.ok(udp.flags.includes("tc"));
  assert.equal(udp.answer.length, 0);
  const edns = await dig(resolver.dnsPort, "big.example.org", "TXT", [
    "+rec",
    "+bufsize=512",
    "+ignore",
  ]);
  assert.ok(edns.flags.includes("tc"));
  assert.match(edns.raw, /udp: 1232/);
  const full = await dig(resolver.dnsPort, "big.example.org", "TXT", ["+rec", "+noedns"]);
  assert.equal(full.answer.length, 3);
});

test("the question's case survives forwarding and caching", async () => {
  const r = await dig(resolver.dnsPort, "CASE.Example.ORG", "TXT", ["+rec"]);
  assert.equal(r.answer[0]!.name, "CASE.Example.ORG.");
});

test("stale answers are served while every upstream is down", async () => {
  await dig(resolver.dnsPort, "www.example.org", "A", ["+rec"]);
  await upstream.stop();
  // Force expiry of the cached entries so the resolver must go upstream.
  resolver.responder.stats.staleServed = 0;
  expireForwardCache(resolver);
  const r = await dig(resolver.dnsPort, "www.example.org", "A", ["+rec"]);
  assert.equal(r.status, "NOERROR");
  assert.deepEqual(
    r.answer.map((a) => [a.data, a.ttl]),
    [["192.0.2.10", 30]],
  );
  assert.ok(resolver.responder.stats.staleServed >= 1);
  const unknown = await dig(resolver.dnsPort, "never-seen.example.org", "A", ["+rec"]);
  assert.equal(unknown.status, "SERVFAIL");
});

function expireForwardCache(h: TestMcns): void {
  const f = h.forwarder!;
  for (const e of f.cache.entries()) {
    e.expiresAt = Date.now() - 1;
  }
}
