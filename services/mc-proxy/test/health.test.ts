// Optional backend health checks: a route whose health path fails answers 503 without dialling
// the backend, and recovers when the probe succeeds again.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { createTestCA, makeTempDir } from "@metacircular/testkit";
import { curl, resolveArg } from "./helpers/clients.ts";
import { startProxy } from "./helpers/proxy-process.ts";

describe("backend health checks", () => {
  it("marks a failing backend down and brings it back", async (t) => {
    const dir = makeTempDir("mcp-health-");
    const ca = createTestCA();
    let healthy = true;
    const backend = createServer((req, res) => {
      if (req.url === "/healthz") res.writeHead(healthy ? 200 : 500).end();
      else res.writeHead(200, { "content-type": "text/plain" }).end("app");
    });
    await new Promise<void>((r) => backend.listen(0, "127.0.0.1", () => r()));
    t.after(() => {
      backend.close();
      ca.remove();
      dir.remove();
    });
    const leaf = ca.issue(["hc.example.test"]);
    const proxy = await startProxy(dir.path, {
      server: { workers: 0, shutdown_timeout_ms: 2000, access_log: false, health_interval_ms: 150 },
      listeners: [
        {
          name: "web",
          addr: "127.0.0.1:0",
          routes: [
            {
              hostname: "hc.example.test",
              backend: `127.0.0.1:${(backend.address() as AddressInfo).port}`,
              mode: "l7",
              tls_cert: leaf.certPath,
              tls_key: leaf.keyPath,
              health_path: "/healthz",
            },
          ],
        },
      ],
    });
    const port = proxy.port("web");
    const status = async () => {
      const r = await curl([
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        ...resolveArg("hc.example.test", port),
        "--cacert",
        ca.certPath,
        `https://hc.example.test:${port}/`,
      ]);
      return r.stdout;
    };
    const until = async (want: string) => {
      let got = await status();
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && got !== want) {
        await new Promise((r) => setTimeout(r, 100));
        got = await status();
      }
      return got;
    };
    try {
      assert.equal(await until("200"), "200");
      healthy = false;
      assert.equal(await until("503"), "503");
      await proxy.child.waitForLine(/backend health changed/, 30_000);
      healthy = true;
      assert.equal(await until("200"), "200");
    } finally {
      await proxy.stop();
    }
  });
});
