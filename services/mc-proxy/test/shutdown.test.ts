// Graceful shutdown with 1,000 idle connections (the original hung on lingering scanner
// connections): the process must drain, force-close what is left at the configured timeout and exit.
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, describe, it } from "node:test";
import { connect as tlsConnect } from "node:tls";
import { createTestCA, eventually, makeTempDir } from "@metacircular/testkit";
import { httpBackend } from "./helpers/backends.ts";
import { startProxy } from "./helpers/proxy-process.ts";

describe("shutdown", () => {
  const dir = makeTempDir("mcp-shutdown-");
  const ca = createTestCA();
  after(() => {
    dir.remove();
    ca.remove();
  });

  it("finishes within the configured timeout with 1,000 idle connections open", async () => {
    const backend = await httpBackend("b");
    const leaf = ca.issue(["idle.example.test"]);
    const timeoutMs = 1500;
    const proxy = await startProxy(dir.path, {
      server: {
        workers: 0,
        shutdown_timeout_ms: timeoutMs,
        hello_timeout_ms: 600_000,
        handshake_timeout_ms: 600_000,
        access_log: false,
      },
      listeners: [
        {
          name: "web",
          addr: "127.0.0.1:0",
          routes: [
            {
              hostname: "idle.example.test",
              backend: backend.addr,
              mode: "l7",
              tls_cert: leaf.certPath,
              tls_key: leaf.keyPath,
            },
          ],
        },
      ],
    });
    const port = proxy.port("web");
    const sockets: Socket[] = [];
    // 990 scanners that connect and say nothing, 10 TLS clients idle after the handshake.
    for (let i = 0; i < 990; i++) {
      const s = connect({ host: "127.0.0.1", port });
      s.on("error", () => {});
      sockets.push(s);
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20));
    }
    for (let i = 0; i < 10; i++) {
      const s = tlsConnect({
        host: "127.0.0.1",
        port,
        servername: "idle.example.test",
        ca: ca.cert,
      });
      s.on("error", () => {});
      await new Promise((r) => s.once("secureConnect", r));
      sockets.push(s);
    }
    await Promise.all(
      sockets.map((s) =>
        s.connecting ? new Promise((r) => s.once("connect", r)) : Promise.resolve(),
      ),
    );
    // A client's connect completes in the kernel's accept queue; the proxy may take a moment
    // longer to accept (and count) the last of them.
    const admin = (await import("../src/cli/admin-client.ts")).adminClient(proxy.socket);
    let open = 0n;
    const counted = await eventually(async () => {
      open = (await admin.getStatus({})).activeConnections;
      return open >= 1000n;
    }, 60_000);
    assert.ok(counted, `only ${open} connections open`);

    const started = Date.now();
    proxy.child.proc.kill("SIGTERM");
    const code = await proxy.child.exited;
    const elapsed = Date.now() - started;
    assert.equal(code, 0);
    // Bounded, not tight: the point is that it does not hang on idle connections (they would
    // hold it for the 600 s hello and handshake timeouts); a loaded machine may take seconds.
    assert.ok(elapsed < timeoutMs + 30_000, `shutdown took ${elapsed} ms`);
    assert.match(proxy.child.output(), /forced open connections closed/);
    for (const s of sockets) s.destroy();
    await backend.close();
  });
});
