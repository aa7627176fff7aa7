// The web UI session slides while the user is active (real mcias, login tokens of 60 s): once
// less than half of the token's life is left, a request gets a new session cookie carrying the
// same sign-in time; the replaced token dies as soon as the new cookie is used; forms rendered
// before the renewal still post; the session outlives its first token.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { json, type MciasInstance, startMcias } from "./helpers.ts";
import { csrfOf, UiClient } from "./web-ui-client.ts";

const PASSWORD = "renewal-password-1";
let m: MciasInstance;

before(async () => {
  m = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n[tokens]\nlogin_ttl_s = 60' });
  await m.createAccount("lena", { password: PASSWORD, roles: ["admin"] });
});
after(() => m?.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** When the JWT's lifetime ends, in epoch milliseconds (its own `exp`, not a clock read here). */
const expiresAt = (token: string) =>
  (JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as { exp: number })
    .exp * 1000;
const valid = async (token: string) =>
  (await json<{ valid: boolean }>(await m.api("POST", "/v1/token/validate", { token }))).valid;

test("an active UI session is renewed before its token ends", async () => {
  const ui = new UiClient(m.url);
  assert.equal((await ui.login("lena", PASSWORD)).status, 303);
  const first = ui.sessionToken()!;
  // Waits are taken from the token's own expiry, so a slow login on a loaded machine cannot
  // shift them: renewal is due once less than half of the 60 s is left.
  const firstEnds = expiresAt(first);
  const early = await ui.get("/ui/");
  assert.equal(early.status, 200);
  assert.equal(ui.sessionToken(), first, "not renewed while more than half is left");
  const csrf = csrfOf(await early.text());

  await sleep(Math.max(0, firstEnds - 29_000 - Date.now()));
  const due = await ui.get("/ui/admin/accounts");
  assert.equal(due.status, 200);
  const second = ui.sessionToken()!;
  assert.notEqual(second, first, "renewed");
  assert.ok(await valid(first), "the old cookie still works until the new one is used");

  assert.equal((await ui.get("/ui/")).status, 200);
  assert.equal(await valid(first), false, "replaced token revoked once the new one is used");

  await sleep(Math.max(0, firstEnds + 2_000 - Date.now()));
  const later = await ui.get("/ui/");
  assert.equal(later.status, 200, "still signed in after the first token's lifetime");
  assert.match(await later.text(), /lena/);
  const current = ui.sessionToken()!;

  // The CSRF token of a page from before the renewal still signs a form (sign-out here).
  const out = await ui.post("/ui/logout", { _csrf: csrf });
  assert.equal(out.status, 303);
  assert.match(out.headers.get("location") ?? "", /signed_out/);
  assert.equal(await valid(current), false);
  assert.equal(await valid(second), false);
});
