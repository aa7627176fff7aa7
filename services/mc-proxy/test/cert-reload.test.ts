// L7 certificates are reloaded when their files change, without a restart.
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { describe, it } from "node:test";
import { createTestCA, makeTempDir } from "@metacircular/testkit";
import { httpBackend } from "./helpers/backends.ts";
import { peerCert } from "./helpers/clients.ts";
import { startProxy } from "./helpers/proxy-process.ts";

describe("certificate reload", () => {
  it("serves a replaced certificate on new connections", async (t) => {
    const dir = makeTempDir("mcp-reload-");
    const ca = createTestCA();
    const backend = await httpBackend("b");
    t.after(async () => {
      await backend.close();
      ca.remove();
      dir.remove();
    });
    const first = ca.issue(["reload.example.test"]);
    const cert = dir.join("route.pem");
    const key = dir.join("route.key");
    copyFileSync(first.certPath, cert);
    copyFileSync(first.keyPath, key);
    const proxy = await startProxy(dir.path, {
      listeners: [
        {
          name: "web",
          addr: "127.0.0.1:0",
          routes: [
            {
              hostname: "reload.example.test",
              backend: backend.addr,
              mode: "l7",
              tls_cert: cert,
              tls_key: key,
            },
          ],
        },
      ],
    });
    try {
      const port = proxy.port("web");
      const before = await peerCert(port, "reload.example.test", ca.cert);
      assert.ok(before.fingerprint);
      const second = ca.issue(["reload.example.test"]);
      copyFileSync(second.keyPath, key);
      copyFileSync(second.certPath, cert);
      let now = before;
      // Polls until the new certificate is served (the files are stat-polled once a second).
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && now.fingerprint === before.fingerprint) {
        await new Promise((r) => setTimeout(r, 100));
        now = await peerCert(port, "reload.example.test", ca.cert);
      }
      assert.equal(now.error, undefined);
      assert.notEqual(now.fingerprint, before.fingerprint);
      await proxy.child.waitForLine(/reloaded TLS certificate/, 30_000);
    } finally {
      await proxy.stop();
    }
  });
});
