// Random and mutated input against native listeners (plain and PROXY-protocol): the process must
// survive, every connection must end, and the descriptor count must return to where it was.
// Seeded: MC_FUZZ_SEED replays the inputs and the clients' choices (the interleaving on the
// sockets still varies from run to run).
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { fuzzSeed, type Rng, replayHint, rng } from "@metacircular/testkit";
import { captureClientHello } from "../src/protocol/capture-hello.ts";
import { encodeProxyV2 } from "../src/protocol/proxy-header.ts";
import { openFds, startEngine, type TestEngine, tcpBackend } from "./helpers/engine.ts";

const seed = fuzzSeed();
const r = rng(seed);

function mutate(b: Buffer): Buffer {
  const out = Buffer.from(b);
  const n = 1 + r.int(7);
  for (let i = 0; i < n; i++) out[r.int(out.length)] = r.int(256);
  return r.int(4) === 0 ? out.subarray(0, 1 + r.int(out.length - 1)) : out;
}

/** One client: writes `bytes`, maybe ends, gives up after a while; resolves when closed. */
function poke(port: number, bytes: Buffer, rand: Rng): Promise<void> {
  const wait = 20 + rand.int(130);
  const end = rand.int(2) === 0;
  return new Promise((res) => {
    const s = connect({ host: "127.0.0.1", port });
    const giveUp = setTimeout(() => s.destroy(), wait);
    s.on("connect", () => {
      s.write(bytes);
      if (end) s.end();
    });
    s.on("data", () => {});
    s.on("error", () => {});
    s.on("close", () => {
      clearTimeout(giveUp);
      res();
    });
  });
}

async function waitFor(cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
}

describe("native ingress under random input", () => {
  let t: TestEngine;
  let hello: Buffer;
  let close: () => void;

  before(async () => {
    hello = await captureClientHello("fuzz.example.test");
    const echo = await tcpBackend((s) => {
      s.on("data", (d: Buffer) => s.write(d));
      s.on("end", () => s.end());
      s.on("error", () => {});
    });
    close = () => echo.server.close();
    t = await startEngine(
      [{ name: "plain" }, { name: "pp", proxyProtocol: true, trustedProxies: ["127.0.0.1/32"] }],
      [
        {
          listener: "plain",
          hostname: "fuzz.example.test",
          backend: echo.addr,
          mode: "l4",
          timeoutMs: 2000,
        },
        {
          listener: "pp",
          hostname: "fuzz.example.test",
          backend: echo.addr,
          mode: "l4",
          timeoutMs: 2000,
        },
      ],
      { helloTimeoutMs: 300 },
    );
  });

  after(async () => {
    await t?.engine.close(500);
    close?.();
  });

  async function round(count: number): Promise<void> {
    const v2 = encodeProxyV2({
      family: "tcp4",
      srcAddr: "192.0.2.1",
      srcPort: 1,
      dstAddr: "192.0.2.2",
      dstPort: 2,
    });
    const inputs = [
      () => r.bytes(r.int(3000)),
      () => mutate(hello),
      () => Buffer.concat([hello, r.bytes(r.int(5000))]),
      () => mutate(Buffer.concat([v2, hello])),
      () => Buffer.concat([Buffer.from("PROXY TCP4 "), r.bytes(r.int(200))]),
    ];
    for (let i = 0; i < count; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, (_, k) => {
          const pick = inputs[(i + k) % inputs.length] as () => Buffer;
          return poke(t.port((i + k) % 2 === 0 ? "plain" : "pp"), pick(), r);
        }),
      );
    }
  }

  it("survives, closes every connection and leaks no descriptors", async () => {
    // The waits below are bounds, not expectations: this also runs on the sanitizer build on a
    // loaded machine, where closing 1,500 connections can take many seconds.
    await round(50); // warm-up: pipe pool, thread-pool and timer descriptors settle
    assert.ok(await waitFor(() => t.engine.connectionCount === 0, 60_000), replayHint(seed));
    const before = await openFds();
    await round(1500);
    assert.ok(
      await waitFor(() => t.engine.connectionCount === 0, 60_000),
      `${t.engine.connectionCount} connections still open, ${replayHint(seed)}`,
    );
    assert.ok(await waitFor(async () => (await openFds()) <= before, 60_000), replayHint(seed));
    assert.equal(await openFds(), before, replayHint(seed));
  });
});
