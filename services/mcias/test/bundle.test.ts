// The deployable form: `npm run build` bundles mcias and mciasctl into dist/*.mjs, which run on
// plain node (no tsx), from any directory. This test builds the bundle and drives the bundled server end to end:
// assets located from the package root (static files, the Argon2 worker, the version) included.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { runNode, startMcias, writeCliProfile } from "@metacircular/testkit";

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
  const ctl = await runNode([join(PKG, "dist/mciasctl.mjs"), "--version"]);
  assert.equal(ctl.out.trim(), health.version);
});

test("the bundled mciasctl works from a directory outside the checkout with only the CLI profile", async (t) => {
  // Runs after the build above.
  const m = await startMcias({});
  const home = mkdtempSync(join(tmpdir(), "mciasctl-anywhere-"));
  t.after(async () => {
    await m.stop();
    rmSync(home, { recursive: true, force: true });
  });
  const xdg = join(home, "config");
  writeCliProfile(xdg, { mciasUrl: m.url });
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: xdg };
  const ctl = (args: string[], input = "") =>
    runNode([join(PKG, "dist/mciasctl.mjs"), ...args], { cwd: home, env, input });

  const help = await ctl(["--help"]);
  assert.equal(help.code, 0, help.err);
  const flat = help.out.replace(/\s+/g, " ");
  assert.match(
    flat,
    new RegExp(
      `--server <url> MCIAS base URL \\(default: ${m.url}, from profile, env: MCIAS_URL\\)`,
    ),
  );
  assert.match(flat, /env: MCIAS_TOKEN/);

  const login = await ctl(["login"], `${m.adminPassword}\n`);
  assert.equal(login.code, 0, login.err);
  assert.match(login.err, /logged in as admin; token for mcias cached in .*tokens\.json/);
  assert.equal(statSync(join(xdg, "metacircular", "tokens.json")).mode & 0o777, 0o600);
  const list = await ctl(["account", "list"]);
  assert.equal(list.code, 0, list.err);
  assert.match(list.out, /^USERNAME\s+TYPE\s+ROLES[\s\S]*\badmin\b/);

  // Paths on the command line are the caller's: a backup lands in the caller's directory.
  const backup = await ctl(["backup", "--db", m.dbPath, "--out", "snap.db"]);
  assert.equal(backup.code, 0, backup.err);
  assert.ok(statSync(join(home, "snap.db")).size > 0);
});
