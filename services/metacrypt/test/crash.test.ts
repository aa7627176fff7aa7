// kill -9 during a burst of issuance: after restart and unseal, every certificate the API
// reported is in the inventory, the database passes `PRAGMA integrity_check` (the sqlite3
// CLI), and the audit chain still verifies.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { startMcias, tempDirFor } from "@metacircular/testkit";
import { client, PASSWORD, readyAdmin, setupCa } from "./helpers/metacrypt.ts";
import { loginFor, startServer, writeServerConfig } from "./helpers/process.ts";

test("kill -9 during a burst of issuance loses no reported certificate", async (t) => {
  const dir = tempDirFor(t, "metacrypt-crash-");
  const mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
  t.after(() => mcias.stop());
  const token = await loginFor(mcias);
  const files = await writeServerConfig(dir.path, mcias);
  let server = await startServer(files);
  t.after(() => server.stop());
  const admin = await readyAdmin(files.url, token);
  await setupCa(admin);

  const reported: string[] = [];
  let stop = false;
  let n = 0;
  const worker = async () => {
    while (!stop) {
      try {
        const r = await admin("POST", "/v1/engine/request", {
          mount: "pki",
          operation: "issue",
          data: { profile: "svc", common_name: `burst${n++}.svc.mcp.metacircular.net` },
        });
        if (r.status === 200) reported.push(r.json.serial as string);
      } catch {
        return; // the connection died with the process
      }
    }
  };
  const workers = Array.from({ length: 8 }, worker);
  while (reported.length < 40) await new Promise((r) => setTimeout(r, 20));
  server.proc.kill("SIGKILL");
  stop = true;
  await Promise.all(workers);
  assert.equal(await server.exited, "SIGKILL");

  const check = execFileSync("sqlite3", [files.db, "PRAGMA integrity_check;"]).toString().trim();
  assert.equal(check, "ok");
  server = await startServer(files);
  assert.equal((await client(files.url)("GET", "/v1/sys/status")).json.sealed, true);
  await client(files.url)("POST", "/v1/sys/unseal", { password: PASSWORD });
  const list = await admin("POST", "/v1/engine/request", {
    mount: "pki",
    operation: "list-certs",
    data: { limit: 10_000 },
  });
  const listed = new Set((list.json.certificates as { serial: string }[]).map((c) => c.serial));
  const missing = reported.filter((s) => !listed.has(s));
  assert.deepEqual(
    missing,
    [],
    `${missing.length} of ${reported.length} reported certificates lost`,
  );
  const audit = await admin("GET", "/v1/audit/verify");
  assert.equal(audit.json.ok, true, JSON.stringify(audit.json));
});
