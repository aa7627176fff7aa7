// The native ingress in-process: relay integrity both ways with half-close and backpressure,
// refused backends, firewall RST, unknown-SNI alert, hello timeout, PROXY v1/v2 in and out,
// IPv6 and the handoff of L7 connections to the TLS front end (HTTP/2 and WebSocket over the
// handoff run in the process-level tests, where io = "auto" selects this path).
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { get as httpsGet } from "node:https";
import { after, before, describe, it } from "node:test";
import { createTestCA, type TestCA } from "@metacircular/testkit";
import { captureClientHello } from "../src/protocol/capture-hello.ts";
import { encodeProxyV1, encodeProxyV2, parseProxyHeader } from "../src/protocol/proxy-header.ts";
import { ALERT_UNRECOGNIZED_NAME } from "../src/proxy/accept.ts";
import { type Backend, httpBackend } from "./helpers/backends.ts";
import { startEngine, type TestEngine, tcpBackend } from "./helpers/engine.ts";
import { eventually, exchange } from "./helpers/raw-client.ts";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("native ingress", () => {
  let ca: TestCA;
  let hello: Buffer;
  let t: TestEngine;
  let web: Backend;
  const received = new Map<string, Buffer>();
  const reply = randomBytes(3 << 20);
  const closers: (() => void)[] = [];

  before(async () => {
    ca = createTestCA();
    hello = await captureClientHello("relay.example.test");
    web = await httpBackend("l7-backend");
    // Reads everything until EOF, then answers with `reply` (half-close in both directions).
    const relay = await tcpBackend((s) => {
      const parts: Buffer[] = [];
      s.on("data", (d: Buffer) => parts.push(d));
      s.on("end", () => {
        received.set("relay", Buffer.concat(parts));
        s.end(reply);
      });
      s.on("error", () => {});
    });
    // Slow reader: pauses for a while before reading a large upload, then echoes its digest.
    const slow = await tcpBackend((s) => {
      const h = createHash("sha256");
      s.pause();
      setTimeout(() => s.resume(), 300);
      s.on("data", (d: Buffer) => h.update(d));
      s.on("end", () => s.end(h.digest("hex")));
      s.on("error", () => {});
    });
    // Header sink: returns the bytes it got first (a PROXY header) and closes.
    const sink = await tcpBackend((s) => {
      s.once("data", (d: Buffer) => s.end(d));
      s.on("error", () => {});
    });
    const refused = await tcpBackend(() => {});
    const refusedAddr = refused.addr;
    await new Promise((r) => refused.server.close(r));
    closers.push(
      () => relay.server.close(),
      () => slow.server.close(),
      () => sink.server.close(),
    );
    const leaf = ca.issue(["web.example.test"]);
    t = await startEngine(
      [
        { name: "l4" },
        { name: "pp", proxyProtocol: true, trustedProxies: ["127.0.0.1/32"] },
        { name: "v6", addr: "[::1]:0" },
      ],
      [
        { listener: "l4", hostname: "relay.example.test", backend: relay.addr, mode: "l4" },
        { listener: "l4", hostname: "slow.example.test", backend: slow.addr, mode: "l4" },
        { listener: "l4", hostname: "refused.example.test", backend: refusedAddr, mode: "l4" },
        {
          listener: "l4",
          hostname: "web.example.test",
          backend: web.addr,
          mode: "l7",
          tlsCert: leaf.certPath,
          tlsKey: leaf.keyPath,
        },
        {
          listener: "pp",
          hostname: "relay.example.test",
          backend: sink.addr,
          mode: "l4",
          sendProxy: 1,
        },
        {
          listener: "pp",
          hostname: "slow.example.test",
          backend: sink.addr,
          mode: "l4",
          sendProxy: 2,
        },
        { listener: "v6", hostname: "relay.example.test", backend: relay.addr, mode: "l4" },
      ],
      // Generous: a test client whose first bytes reach the proxy later than this (a loaded CI machine
      // running the sanitizer build) is closed with its upload unread, which the client sees as EPIPE.
      { firewall: { deny: ["127.0.0.5"] }, helloTimeoutMs: 3000 },
    );
    assert.ok(t.engine.native, "the ingress addon must load for this test");
  });

  after(async () => {
    await t?.engine.close(1000);
    for (const c of closers) c();
    await web?.close();
    ca?.remove();
  });

  it("relays random payloads both ways and propagates half-close", async () => {
    const up = randomBytes(2 << 20);
    const r = await exchange(t.port("l4"), Buffer.concat([hello, up]));
    assert.equal(r.error, undefined);
    assert.equal(sha(r.data), sha(reply));
    assert.equal(sha(received.get("relay") as Buffer), sha(Buffer.concat([hello, up])));
    await eventually(
      () => t.metrics(),
      /mcproxy_l4_bytes_total\{route="relay.example.test",direction="down"\} 3145728/,
    );
  });

  it("keeps data intact when the backend reads slowly and when the client reads slowly", async () => {
    const slowHello = await captureClientHello("slow.example.test");
    const up = randomBytes(6 << 20);
    const r = await exchange(t.port("l4"), Buffer.concat([slowHello, up]));
    assert.equal(r.data.toString(), sha(Buffer.concat([slowHello, up])));
    const down = await exchange(t.port("l4"), hello, { pauseMs: 300 });
    assert.equal(sha(down.data), sha(reply));
  });

  it("closes the client when the backend refuses", async () => {
    const r = await exchange(t.port("l4"), await captureClientHello("refused.example.test"));
    assert.equal(r.data.length, 0);
  });

  it("resets firewall-blocked clients and alerts unknown SNI", async () => {
    const blocked = await exchange(t.port("l4"), hello, { local: "127.0.0.5", keepOpen: true });
    assert.equal(blocked.error, "ECONNRESET");
    // Deny-listed peers are reset at accept: one that sends nothing does not wait for the hello
    // timeout (which would end with a FIN, not a reset).
    const silent = await exchange(t.port("l4"), Buffer.alloc(0), {
      local: "127.0.0.5",
      keepOpen: true,
    });
    assert.equal(silent.error, "ECONNRESET");
    const unknown = await exchange(t.port("l4"), await captureClientHello("nope.example.test"), {
      keepOpen: true,
    });
    assert.deepEqual(unknown.data, ALERT_UNRECOGNIZED_NAME);
    await eventually(() => t.metrics(), /mcproxy_firewall_drops_total\{reason="deny_ip"\} 2/);
    await eventually(
      () => t.metrics(),
      /mcproxy_connections_total\{listener="l4",outcome="unknown_sni"\} 1/,
    );
  });

  it("closes clients that do not finish their ClientHello in time", async () => {
    // Counted from here, and at least: on a very slow run another test's client could still reach
    // the timeout too.
    const timeouts = async () =>
      Number(/outcome="hello_timeout"\} (\d+)/.exec(await t.metrics())?.[1] ?? 0);
    const before = await timeouts();
    const r = await exchange(t.port("l4"), hello.subarray(0, 30), { keepOpen: true });
    assert.equal(r.data.length, 0);
    const silent = await exchange(t.port("l4"), Buffer.alloc(0), { keepOpen: true });
    assert.equal(silent.data.length, 0);
    const deadline = Date.now() + 30_000;
    while ((await timeouts()) < before + 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    assert.ok((await timeouts()) >= before + 2, await t.metrics());
  });

  it("reads PROXY v1/v2 headers from trusted peers and sends v1/v2 to backends", async () => {
    const v1in = encodeProxyV1({
      family: "tcp4",
      srcAddr: "203.0.113.7",
      srcPort: 5555,
      dstAddr: "198.51.100.1",
      dstPort: 443,
    });
    const r1 = await exchange(t.port("pp"), Buffer.concat([v1in, hello]), { keepOpen: true });
    assert.equal(
      r1.data.toString("latin1", 0, r1.data.indexOf("\r\n")),
      "PROXY TCP4 203.0.113.7 198.51.100.1 5555 443",
    );
    const v2in = encodeProxyV2({
      family: "tcp4",
      srcAddr: "203.0.113.9",
      srcPort: 6000,
      dstAddr: "198.51.100.2",
      dstPort: 8443,
    });
    const slowHello = await captureClientHello("slow.example.test");
    const r2 = await exchange(t.port("pp"), Buffer.concat([v2in, slowHello]), { keepOpen: true });
    const parsed = parseProxyHeader(r2.data);
    assert.equal(parsed.kind, "ok");
    if (parsed.kind === "ok") {
      assert.equal(parsed.addresses?.srcAddr, "203.0.113.9");
      assert.equal(parsed.addresses?.dstPort, 8443);
    }
  });

  it("listens on IPv6", async () => {
    const r = await exchange(t.port("v6"), hello, { host: "::1" });
    assert.equal(sha(r.data), sha(reply));
  });

  it("hands L7 connections to the TLS front end", async () => {
    const port = t.port("l4");
    const body = await new Promise<string>((res, rej) => {
      httpsGet(
        {
          host: "127.0.0.1",
          port,
          servername: "web.example.test",
          ca: ca.cert,
          path: "/x",
          agent: false,
        },
        (r) => {
          let b = "";
          r.setEncoding("utf8");
          r.on("data", (d: string) => (b += d));
          r.on("end", () => res(b));
        },
      ).on("error", rej);
    });
    assert.equal(JSON.parse(body).backend, "l7-backend");
  });
});
