// `npm start` as a newcomer meets it, with real processes: a taken port refuses the start with
// one line and creates nothing; on free ports the platform becomes ready, keeps the first
// admin's password in a 0600 file shown on every start, serves MCIAS through MC-Proxy's L7
// route under Metacrypt's dev CA (where Chromium can register a passkey), restarts a killed MCIAS,
// and leaves no process behind after SIGTERM to the pid npm reports, also in the middle of a
// --reset start. Every process of a run carries a marker variable, checked via /proc.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  addVirtualAuthenticator,
  bindable,
  cmdline,
  eventually,
  freePortBase,
  makeTempDir,
  PLATFORM_PORT_SPAN,
  type PlatformRun,
  platformMark,
  startPlatform,
  stopPlatform,
} from "@metacircular/testkit";
import { platformBrowser } from "./platform-browser.ts";
import { PORT_SPAN, portsFrom } from "./ports.ts";
import { SERVICES } from "./registry.ts";
import { MCIAS_HOST } from "./services/common.ts";

const mark = platformMark("npm-start-test");
const tmp = makeTempDir("mc-start-");
const dataDir = join(tmp.path, "platform");
const configHome = join(tmp.path, "xdg");

const npmStart = (args: string[]): PlatformRun =>
  startPlatform({ dataDir, configHome, mark, args });

/** MCIAS health through MC-Proxy's L7 route, as curl sees it with the platform CA. */
function curlHealth(webPort: number): Promise<string> {
  const host = `mcias.localhost:${webPort}`;
  return new Promise((resolve) => {
    execFile(
      "curl",
      [
        "-sS",
        "--fail",
        "--max-time",
        "10",
        "--cacert",
        join(dataDir, "ca/ca.crt"),
        "--resolve",
        `${host}:127.0.0.1`,
        `https://${host}/v1/health`,
      ],
      (err, stdout) => resolve(err ? `error: ${err.message}` : stdout),
    );
  });
}

/** Chromium at https://mcias.localhost:<port> (loopback, a secure context) registers a passkey. */
async function registerPasskeyThroughRoute(webPort: number, password: string): Promise<void> {
  const login = await fetch(`http://127.0.0.1:${portsFrom(webPort).mciasHttp}/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password }),
  });
  const { token } = (await login.json()) as { token: string };
  const browser = await platformBrowser(dataDir, [MCIAS_HOST]);
  try {
    const page = await browser.newPage();
    await addVirtualAuthenticator(page);
    const res = await page.goto(`https://mcias.localhost:${webPort}/ui/login`);
    assert.equal(res?.status(), 200);
    assert.equal(
      await page.evaluate(() => (globalThis as { isSecureContext?: boolean }).isSecureContext),
      true,
    );
    const registered = await page.evaluate(async (bearer) => {
      const headers = { authorization: `Bearer ${bearer}`, "content-type": "application/json" };
      const begin = (await (
        await fetch("/v1/auth/passkeys/register/begin", { method: "POST", headers })
      ).json()) as { challenge_id: string; options: unknown };
      // biome-ignore lint/suspicious/noExplicitAny: the browser global defined by webauthn.js
      const response = await (globalThis as any).mciasPasskey.create(begin.options);
      const done = await fetch("/v1/auth/passkeys/register/finish", {
        method: "POST",
        headers,
        body: JSON.stringify({ challenge_id: begin.challenge_id, response, name: "local" }),
      });
      return { status: done.status, body: await done.text() };
    }, token);
    assert.equal(registered.status, 201, registered.body);
  } finally {
    await browser.close();
  }
}

after(() => {
  mark.killAll();
  tmp.remove();
});

test("npm start: port check, ready table, password file, restart, clean shutdown", async () => {
  // The testkit's free-base search covers the whole layout.
  assert.ok(PORT_SPAN <= PLATFORM_PORT_SPAN, `layout span ${PORT_SPAN}`);
  const base = await freePortBase();
  const args = ["--port-base", String(base)];

  // 1. One port of the layout is held by another process: one line, non-zero, nothing created.
  const heldPort = base + 3;
  const holder = spawn(process.execPath, [
    "-e",
    `require("net").createServer().listen(${heldPort}, "127.0.0.1", () => console.log("held"))`,
  ]);
  try {
    await new Promise<void>((r) => holder.stdout.once("data", () => r()));
    const refused = npmStart(args);
    const code = await refused.exited;
    assert.notEqual(code, 0);
    const lines = refused.output().trim().split("\n");
    assert.equal(lines.length, 1, refused.output());
    assert.match(lines[0]!, new RegExp(`port ${heldPort}/tcp .* in use by pid ${holder.pid} \\(`));
    assert.equal(existsSync(dataDir), false, "the data dir was created");
    assert.equal(existsSync(join(configHome, "metacircular")), false, "a profile was written");
  } finally {
    holder.kill("SIGKILL");
  }
  await eventually(() => bindable(heldPort, false), 10_000);

  // 2. Free ports: progress lines, the ready table, the password file (0600), the CLI profile.
  const first = npmStart(args);
  await first.waitFor(/Metacircular is ready/);
  for (const { name } of SERVICES)
    assert.match(first.output(), new RegExp(`^${name} +healthy after`, "m"));
  const passwordFile = join(dataDir, "admin-password");
  assert.equal(statSync(passwordFile).mode & 0o777, 0o600);
  // MCAT's MCIAS token was provisioned with the first admin's password (0600).
  assert.equal(statSync(join(dataDir, "mcat/mcias.token")).mode & 0o777, 0o600);
  const password = readFileSync(passwordFile, "utf8").trim();
  assert.ok(first.output().includes(`admin / ${password}`), first.output());
  assert.ok(first.output().includes(passwordFile));
  assert.match(first.output(), /mciasctl login admin --service mcns/);
  const profile = JSON.parse(readFileSync(join(configHome, "metacircular/profile.json"), "utf8"));
  assert.equal(profile.mcias.web_url, `https://mcias.localhost:${base}`);
  assert.equal(profile.ca_cert, join(dataDir, "ca/ca.crt"));
  assert.equal(profile.mc_proxy.socket, join(dataDir, "mc-proxy/mc-proxy.sock"));
  assert.match(await curlHealth(base), /"status":"ok"/);
  await registerPasskeyThroughRoute(base, password);

  // 3. A killed MCIAS comes back and the route serves again.
  const mcias = mark.pids().filter((p) => cmdline(p).includes("services/mcias/src/cmd/mcias.ts"));
  assert.equal(mcias.length, 1, `mcias processes: ${mcias}`);
  process.kill(mcias[0]!, "SIGKILL");
  await first.waitFor(/mcias +healthy again/);
  assert.ok(
    await eventually(async () => /"status":"ok"/.test(await curlHealth(base)), 60_000),
    "MCIAS is not served through MC-Proxy after its restart",
  );

  // 4. SIGTERM to the pid npm reports stops everything.
  await stopPlatform(first, mark);

  // 5. A second start shows the same password and file; the optional agent left out.
  const second = npmStart([...args, "--without", "mcp-agent"]);
  await second.waitFor(/Metacircular is ready/);
  assert.ok(second.output().includes(`admin / ${password}`), second.output());
  assert.match(second.output(), /^mcp-agent +skipped: left out \(--without mcp-agent\)/m);
  assert.doesNotMatch(second.output(), /^mcp-agent +healthy after/m);
  assert.equal(readFileSync(passwordFile, "utf8").trim(), password);
  await stopPlatform(second, mark);

  // 6. --reset starts from a fresh data dir (a new password); a stop during start-up is clean.
  const third = npmStart([...args, "--reset"]);
  await third.waitFor(/Metacircular: starting/);
  assert.match(third.output(), /reset: deleted/);
  assert.notEqual(readFileSync(passwordFile, "utf8").trim(), password);
  await stopPlatform(third, mark);
});
