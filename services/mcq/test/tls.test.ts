// TLS when configured: with [server] tls_cert/tls_key mcq serves HTTPS with TLS 1.3 only.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { test } from "node:test";
import { createLogger } from "@metacircular/mcdsl/log";
import { createTestCA, freePort, tempDirFor } from "@metacircular/testkit";
import { startMcq } from "../src/app.ts";
import { loadMcqConfig } from "../src/config.ts";

function get(url: string, ca: Buffer, maxVersion: "TLSv1.2" | "TLSv1.3"): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, maxVersion }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

test("TLS 1.3 when a certificate is configured; TLS 1.2 clients are refused", async (t) => {
  const dir = tempDirFor(t, "mcq-tls-").path;
  const ca = createTestCA();
  const leaf = ca.issue(["localhost", "127.0.0.1"]);
  const port = await freePort();
  const cfgPath = join(dir, "mcq.toml");
  writeFileSync(
    cfgPath,
    `[server]\nlisten_addr = "127.0.0.1:${port}"\ntls_cert = "${leaf.certPath}"\ntls_key = "${leaf.keyPath}"
[database]\npath = "${join(dir, "mcq.db")}"\n[log]\nlevel = "silent"
[mcias]\nserver_url = "http://127.0.0.1:1"\nservice_name = "mcq"\n`,
  );
  const mcq = await startMcq(loadMcqConfig(cfgPath, {}), {
    logger: createLogger({ service: "mcq", level: "silent" }),
    validator: { validate: async () => null },
  });
  t.after(() => mcq.close());
  const caPem = readFileSync(ca.certPath);
  assert.equal(await get(`https://127.0.0.1:${port}/v1/health`, caPem, "TLSv1.3"), 200);
  await assert.rejects(get(`https://127.0.0.1:${port}/v1/health`, caPem, "TLSv1.2"));
});
