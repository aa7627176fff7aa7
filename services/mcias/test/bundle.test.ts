// The deployable form: `npm run build` bundles mcias and mciasctl into dist/*.mjs, which run on
// plain node (no tsx). This test builds the bundle and drives the bundled server end to end:
// assets located from the package root (static files, the Argon2 worker, the version) included.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { startMcias } from "@metacircular/testkit";

const run = promisify(execFile);
const PKG = resolve(import.meta.dirname, "..");

test("the dist bundle builds and serves login, validation, static files and the CLI", async (t) => {
  await run("npm", ["run", "build"], { cwd: PKG });
  const m = await startMcias({ entry: join(PKG, "dist/mcias.mjs") });
  t.after(() => m.stop());
  const health = (await (await fetch(`${m.url}/v1/health`)).json()) as { version: string };
  assert.match(health.version, /^\d+\.\d+\.\d+/);
  await m.api("POST", "/v1/policies", { priority: 1, effect: "allow", roles: ["user"] });
  await m.createAccount("bundled", { roles: ["user"], password: "bundled-password-1" });
  const login = await m.api(
    "POST",
    "/v1/auth/login",
    { username: "bundled", password: "bundled-password-1" },
    "",
  );
  assert.equal(login.status, 200);
  const { token } = (await login.json()) as { token: string };
  const v = await m.api("POST", "/v1/token/validate", { token }, "");
  assert.equal(((await v.json()) as { valid: boolean }).valid, true);
  const loginPage = await (await fetch(`${m.url}/ui/login`)).text();
  const href = /<link rel="stylesheet" href="(\/_kit\/kit\.[0-9a-f]+\.css)"/.exec(loginPage)?.[1];
  assert.ok(href, "the page links the web kit's stylesheet");
  const css = await fetch(`${m.url}${href}`);
  assert.equal(css.status, 200);
  assert.match(await css.text(), /\.kit-table/);
  const ctl = await run(process.execPath, [join(PKG, "dist/mciasctl.mjs"), "--version"]);
  assert.equal(ctl.stdout.trim(), health.version);
});
