// Cluster mode: workers share the listeners; a route added through the admin API reaches every
// worker; metrics are aggregated by the primary; workers share session-ticket keys, so a session
// resumes whichever worker accepts the next connection.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { connect as tlsConnect } from "node:tls";
import { RouteMode } from "@metacircular/proto/mcproxy/v1/admin_pb";
import { createTestCA, makeTempDir } from "@metacircular/testkit";
import { adminClient } from "../src/cli/admin-client.ts";
import { httpBackend } from "./helpers/backends.ts";
import { curl, resolveArg } from "./helpers/clients.ts";
import { startProxy } from "./helpers/proxy-process.ts";

/** One HTTP/1.1 exchange over TLS; whether the session was resumed and the ticket received. */
function tlsGet(
  port: number,
  ca: Buffer,
  session?: Buffer,
): Promise<{ reused: boolean; session?: Buffer }> {
  return new Promise((res, rej) => {
    const s = tlsConnect({
      host: "127.0.0.1",
      port,
      servername: "c.example.test",
      ca,
      session,
      ALPNProtocols: ["http/1.1"],
    });
    let ticket: Buffer | undefined;
    let reused = false;
    s.on("session", (t: Buffer) => (ticket = t));
    s.on("secureConnect", () => {
      reused = s.isSessionReused();
      s.write("GET / HTTP/1.1\r\nhost: c.example.test\r\nconnection: close\r\n\r\n");
    });
    s.on("data", () => {});
    s.on("error", rej);
    s.on("close", () => res({ reused, session: ticket }));
  });
}

describe("cluster workers", () => {
  const dir = makeTempDir("mcp-cluster-");
  const ca = createTestCA();
  after(() => {
    dir.remove();
    ca.remove();
  });

  it("serves from several workers and applies API changes to all of them", async () => {
    const backend = await httpBackend("clustered");
    const proxy = await startProxy(dir.path, {
      server: { workers: 2, shutdown_timeout_ms: 2000, access_log: false },
      listeners: [{ name: "web", addr: "127.0.0.1:0" }],
    });
    try {
      const status = await adminClient(proxy.socket).getStatus({});
      assert.equal(status.workers, 2);
      const port = proxy.port("web");
      const leaf = ca.issue(["c.example.test"]);
      await adminClient(proxy.socket).addRoute({
        route: {
          listener: "web",
          hostname: "c.example.test",
          backend: backend.addr,
          mode: RouteMode.L7,
          tlsCert: leaf.certPath,
          tlsKey: leaf.keyPath,
        },
      });
      // Fresh connections land on either worker; every one must know the new route.
      for (let i = 0; i < 12; i++) {
        const r = await curl([
          ...resolveArg("c.example.test", port),
          "--cacert",
          ca.certPath,
          `https://c.example.test:${port}/${i}`,
        ]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(JSON.parse(r.stdout).backend, "clustered");
      }
      // Connections spread over both workers (SO_REUSEPORT): all 10 resume only if the workers
      // issue and accept tickets under the same key.
      const caPem = readFileSync(ca.certPath);
      const first = await tlsGet(port, caPem);
      assert.equal(first.reused, false);
      assert.ok(first.session, "the proxy issues a session ticket");
      for (let i = 0; i < 10; i++) {
        const again = await tlsGet(port, caPem, first.session);
        assert.equal(again.reused, true, `resumption ${i} fell back to a full handshake`);
      }
      const m = await fetch(`http://${proxy.metrics}/metrics`).then((r) => r.text());
      const line = m
        .split("\n")
        .find((l) =>
          l.startsWith('mcproxy_http_requests_total{route="c.example.test",status="200"}'),
        );
      assert.equal(line?.split(" ")[1], "23");
    } finally {
      assert.equal(await proxy.stop(), 0);
      await backend.close();
    }
  });
});
