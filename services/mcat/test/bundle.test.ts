// The deployable form: `npm run build` bundles dist/mcat.mjs, run by plain node (no tsx). The
// bundled server starts against a real MCIAS, answers its health check, sends a browser without
// a session to sign in, and serves a page to an administrator (through MCIAS's policy tools).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { freePort, loginToken, startMcias, startProcess, tempDirFor } from "@metacircular/testkit";

const run = promisify(execFile);
const PKG = resolve(import.meta.dirname, "..");
const MCAT = join(PKG, "dist/mcat.mjs");

test("the dist bundle serves the tester to an administrator", async (t) => {
  await run("npm", ["run", "build"], { cwd: PKG });
  const dir = tempDirFor(t, "mcat-bundle-").path;
  const mcias = await startMcias({
    extraToml: '[policy]\ndefault = "allow"\ntool_accounts = ["mcat"]\n',
  });
  t.after(() => mcias.stop());
  await mcias.createAccount("mcat", { type: "system" });
  const tokenFile = join(dir, "mcias.token");
  writeFileSync(tokenFile, await mcias.issueSystemToken("mcat", "mcias"));
  const port = await freePort();
  const cfg = join(dir, "mcat.toml");
  writeFileSync(
    cfg,
    `[server]\nlisten_addr = "127.0.0.1:${port}"\n[mcias]\nserver_url = "${mcias.url}"
service_name = "mcat"\nadmin_token_file = "${tokenFile}"\n[web]\nsecure_cookies = false\n`,
  );
  const server = startProcess(process.execPath, {
    args: [MCAT, "server", "--config", cfg],
    tsx: false,
  });
  t.after(() => server.stop());
  await server.waitForLine(/mcat started/, 60_000);
  const url = `http://127.0.0.1:${port}`;
  assert.equal((await fetch(`${url}/v1/health`)).status, 200);
  const anon = await fetch(`${url}/versions`, { redirect: "manual" });
  assert.equal(anon.status, 302);
  assert.equal(anon.headers.get("location"), "/login");
  const admin = await loginToken(mcias, mcias.adminUsername, mcias.adminPassword, "mcat");
  const page = await fetch(`${url}/versions`, { headers: { Authorization: `Bearer ${admin}` } });
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Roll back to v\d|initial/);
  const v = await run(process.execPath, [MCAT, "--version"]);
  assert.match(v.stdout, /0\.1\.0/);
});
