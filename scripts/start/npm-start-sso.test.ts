// Single sign-on under the real `npm start`: Debian Chromium, with every *.localhost name on
// MC-Proxy's listener, opens each web UI (MCQ, MCR UI, Metacrypt, MCAT), is sent to MCIAS's own
// sign-in page at https://mcias.localhost:<web port> (never to MCIAS's loopback port), signs in
// as the first admin and lands back on the UI, which shows the name. A second start on the same
// data dir with other ports writes the clients anew: MCIAS accepts the new redirect URIs, and
// the sign-in works there too.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  freePortBase,
  makeTempDir,
  platformMark,
  ssoSignIn,
  startPlatform,
  stopPlatform,
  textOf,
} from "@metacircular/testkit";
import { platformBrowser } from "./platform-browser.ts";
import { MCIAS_HOST } from "./services/common.ts";

const mark = platformMark("npm-start-sso");
const tmp = makeTempDir("mc-start-sso-");
const dataDir = join(tmp.path, "platform");
const configHome = join(tmp.path, "xdg");
/** Page loads on a loaded 2-core machine (MCIAS hashes the password with Argon2id). */
const PAGE_MS = 120_000;

after(() => {
  mark.killAll();
  tmp.remove();
});

const WEB_UIS = ["mcq.localhost", "mcr-ui.localhost", "metacrypt.localhost", "mcat.localhost"];

/** Signs in to each UI in `hosts` through MCIAS; each shows the signed-in user's name. */
async function signInThrough(webPort: number, hosts: readonly string[]): Promise<void> {
  const password = readFileSync(join(dataDir, "admin-password"), "utf8").trim();
  const mcias = `https://${MCIAS_HOST}:${webPort}`;
  const browser = await platformBrowser(dataDir, [MCIAS_HOST, ...hosts]);
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(PAGE_MS);
    for (const host of hosts) {
      const app = `https://${host}:${webPort}`;
      await ssoSignIn(page, app, mcias, "admin", password);
      assert.equal(await textOf(page.locator('form[action="/logout"] span')), "admin", host);
    }
  } finally {
    await browser.close();
  }
}

test("npm start: every web UI signs in through MCIAS SSO behind MC-Proxy", async () => {
  const base = await freePortBase();
  const start = (portBase: number) =>
    startPlatform({ dataDir, configHome, mark, args: ["--port-base", String(portBase)] });
  const first = start(base);
  await first.waitFor(/Metacircular is ready/);
  await signInThrough(base, WEB_UIS);
  await stopPlatform(first, mark);

  // Other ports, same data dir: the redirect URIs follow the new web port.
  let moved = await freePortBase();
  while (moved === base) moved = await freePortBase();
  const second = start(moved);
  await second.waitFor(/Metacircular is ready/);
  const mciasToml = readFileSync(join(dataDir, "mcias/mcias.toml"), "utf8");
  assert.ok(mciasToml.includes(`"https://mcq.localhost:${moved}/sso/callback"`), mciasToml);
  assert.ok(!mciasToml.includes(`:${base}/`), mciasToml);
  await signInThrough(moved, ["mcq.localhost"]);
  await stopPlatform(second, mark);
});
