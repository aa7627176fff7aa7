// The deployable form: `npm run build` bundles mc-proxy into dist/mc-proxy.cjs, which runs on
// plain node and forks its cluster workers from the same file. Build it, start it with two
// workers, add an L7 route over the admin socket and proxy requests through it.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { RouteMode } from "@metacircular/proto/mcproxy/v1/admin_pb";
import { createTestCA, makeTempDir } from "@metacircular/testkit";
import { adminClient } from "../src/cli/admin-client.ts";
import { httpBackend } from "./helpers/backends.ts";
import { curl, resolveArg } from "./helpers/clients.ts";
import { startProxy } from "./helpers/proxy-process.ts";

const PKG = resolve(import.meta.dirname, "..");

describe("dist bundle", () => {
  const dir = makeTempDir("mcp-bundle-");
  const ca = createTestCA();
  after(() => {
    dir.remove();
    ca.remove();
  });

  it("builds, runs with bundled workers and proxies through an API-added route", async () => {
    await promisify(execFile)("npm", ["run", "build"], { cwd: PKG });
    const backend = await httpBackend("bundled");
    const proxy = await startProxy(
      dir.path,
      {
        server: { workers: 2, shutdown_timeout_ms: 2000, access_log: false },
        listeners: [{ name: "web", addr: "127.0.0.1:0" }],
      },
      "bundled",
      resolve(PKG, "dist/mc-proxy.cjs"),
    );
    try {
      const status = await adminClient(proxy.socket).getStatus({});
      assert.equal(status.workers, 2);
      const leaf = ca.issue(["b.example.test"]);
      await adminClient(proxy.socket).addRoute({
        route: {
          listener: "web",
          hostname: "b.example.test",
          backend: backend.addr,
          mode: RouteMode.L7,
          tlsCert: leaf.certPath,
          tlsKey: leaf.keyPath,
        },
      });
      const port = proxy.port("web");
      for (let i = 0; i < 4; i++) {
        const r = await curl([
          ...resolveArg("b.example.test", port),
          "--cacert",
          ca.certPath,
          `https://b.example.test:${port}/${i}`,
        ]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(JSON.parse(r.stdout).backend, "bundled");
      }
    } finally {
      assert.equal(await proxy.stop(), 0);
      await backend.close();
    }
  });
});
