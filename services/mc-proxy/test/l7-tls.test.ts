// L7 TLS termination through the real proxy: a client that stalls mid-handshake is cut off after
// handshake_timeout_ms and counted; sessions resume with the ticket the route's context issued;
// TLS 1.2 is refused unless the route allows it.
import assert from "node:assert/strict";
import { connect as netConnect } from "node:net";
import { after, before, describe, it } from "node:test";
import { connect as tlsConnect } from "node:tls";
import { createTestCA, makeTempDir, type TestCA } from "@metacircular/testkit";
import { captureClientHello } from "../src/protocol/capture-hello.ts";
import { type Backend, httpBackend } from "./helpers/backends.ts";
import { type ProxyProcess, startProxy } from "./helpers/proxy-process.ts";
import { eventually } from "./helpers/raw-client.ts";

const HANDSHAKE_MS = 3000;

interface Outcome {
  reused: boolean;
  protocol: string | null;
  body: string;
  session: Buffer | undefined;
}

describe("L7 TLS termination", () => {
  const dir = makeTempDir("mcp-l7tls-");
  let ca: TestCA;
  let backend: Backend;
  let proxy: ProxyProcess;
  let port = 0;

  before(async () => {
    ca = createTestCA();
    const modern = ca.issue(["modern.example.test"]);
    const legacy = ca.issue(["legacy.example.test"]);
    backend = await httpBackend("tls");
    const route = (hostname: string, leaf: typeof modern, extra: Record<string, unknown> = {}) => ({
      hostname,
      backend: backend.addr,
      mode: "l7",
      tls_cert: leaf.certPath,
      tls_key: leaf.keyPath,
      ...extra,
    });
    // The handshake timeout is short enough to test (well under the 10 s default) but leaves every
    // real handshake below seconds to finish on a loaded machine.
    proxy = await startProxy(dir.path, {
      server: { workers: 0, handshake_timeout_ms: HANDSHAKE_MS, shutdown_timeout_ms: 1000 },
      listeners: [
        {
          name: "web",
          addr: "127.0.0.1:0",
          routes: [
            route("modern.example.test", modern),
            route("legacy.example.test", legacy, { min_tls: "1.2" }),
          ],
        },
      ],
    });
    port = proxy.port("web");
  });

  after(async () => {
    await proxy?.stop();
    await backend?.close();
    ca?.remove();
    dir.remove();
  });

  function get(
    servername: string,
    session?: Buffer,
    maxVersion: "TLSv1.2" | "TLSv1.3" = "TLSv1.3",
  ): Promise<Outcome> {
    return new Promise((res, rej) => {
      let ticket: Buffer | undefined;
      let reused = false;
      let protocol: string | null = null;
      const parts: Buffer[] = [];
      const s = tlsConnect(
        { host: "127.0.0.1", port, servername, ca: ca.cert, session, maxVersion },
        () => {
          reused = s.isSessionReused();
          protocol = s.getProtocol();
          s.write(`GET /x HTTP/1.1\r\nHost: ${servername}\r\nConnection: close\r\n\r\n`, "latin1");
        },
      );
      s.on("session", (t: Buffer) => (ticket = t));
      s.on("data", (d: Buffer) => parts.push(d));
      s.on("error", rej);
      s.on("close", () =>
        res({ reused, protocol, body: Buffer.concat(parts).toString("latin1"), session: ticket }),
      );
    });
  }

  it("closes a client that stops halfway through the handshake, and counts it", async () => {
    const hello = await captureClientHello("modern.example.test", ["http/1.1"]);
    const started = Date.now();
    await new Promise<void>((res) => {
      const s = netConnect({ host: "127.0.0.1", port }, () => s.write(hello));
      s.on("data", () => {}); // the server's flight; the client never answers it
      s.on("error", () => {});
      s.on("close", () => res());
    });
    // Closed by the configured timeout, not the 10 s default.
    assert.ok(Date.now() - started < 9_500, `closed after ${Date.now() - started} ms`);
    await eventually(
      () => fetch(`http://${proxy.metrics}/metrics`).then((r) => r.text()),
      /mcproxy_tls_handshake_errors_total\{listener="web"\} [1-9]/,
    );
  });

  it("resumes a session with the ticket it issued", async () => {
    const first = await get("modern.example.test");
    assert.match(first.body, /^HTTP\/1\.1 200 /);
    assert.equal(first.reused, false);
    assert.ok(first.session);
    const second = await get("modern.example.test", first.session);
    assert.equal(second.reused, true);
    assert.match(second.body, /^HTTP\/1\.1 200 /);
    assert.match(second.body, /x-forwarded-proto/i);
  });

  it("keeps TLS 1.3 as the minimum unless the route allows TLS 1.2", async () => {
    await assert.rejects(get("modern.example.test", undefined, "TLSv1.2"));
    const old = await get("legacy.example.test", undefined, "TLSv1.2");
    assert.equal(old.protocol, "TLSv1.2");
    assert.match(old.body, /^HTTP\/1\.1 200 /);
  });
});
