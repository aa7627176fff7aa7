// Passkeys in the web UI against a real mcias process, with the software authenticator:
// add a passkey from the account page, sign in with it through the login form, remove it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { json, type MciasInstance, startMcias } from "./helpers.ts";
import { ORIGIN, SoftAuthenticator, WEBAUTHN_TOML } from "./passkeys-helpers.ts";
import { csrfOf, UiClient } from "./web-ui-client.ts";

let m: MciasInstance;

before(async () => {
  m = await startMcias({ extraToml: `${WEBAUTHN_TOML}\n[policy]\ndefault = "allow"` });
  await m.createAccount("pia", { password: "pia-password-123" });
});
after(() => m?.stop());

// biome-ignore lint/suspicious/noExplicitAny: WebAuthn options JSON
type Begin = { challenge_id: string; options: any };

test("add a passkey, sign in with it on the login form, remove it", async () => {
  const ui = new UiClient(m.url);
  assert.equal((await ui.login("pia", "pia-password-123")).status, 303);
  const home = await (await ui.get("/ui/")).text();
  assert.match(home, /id="no-passkeys"/);
  assert.match(home, /<script src="\/static\/webauthn.js"/);

  const noCsrf = await ui.post("/ui/passkeys/begin", {});
  assert.equal(noCsrf.status, 403, "begin needs the CSRF token");
  const beginRes = await ui.post("/ui/passkeys/begin", {}, { "x-csrf-token": csrfOf(home) });
  assert.equal(beginRes.status, 200);
  const begin = await json<Begin>(beginRes);
  const auth = new SoftAuthenticator(ORIGIN);
  const finish = await ui.post("/ui/passkeys/finish", {
    _csrf: csrfOf(home),
    challenge_id: begin.challenge_id,
    response: JSON.stringify(auth.create(begin.options)),
    name: "<b>phone</b>",
  });
  assert.equal(finish.status, 303, await finish.clone().text());
  const listed = await (await ui.get("/ui/")).text();
  assert.match(listed, /&lt;b&gt;phone&lt;\/b&gt;/, "the name is escaped");
  const id = /name="id" value="([^"]+)"/.exec(listed)?.[1];
  assert.ok(id);

  // Username-less passkey sign-in through the same login form.
  const browser = new UiClient(m.url);
  const loginCsrf = await browser.csrf("/ui/login");
  const lb = await json<Begin>(await m.api("POST", "/v1/auth/passkey/login/begin", {}, ""));
  const signIn = await browser.post("/ui/login", {
    _csrf: loginCsrf,
    next: "/ui/",
    passkey_challenge: lb.challenge_id,
    passkey_response: JSON.stringify(auth.get(lb.options)),
  });
  assert.equal(signIn.status, 303, await signIn.clone().text());
  assert.match(await (await browser.get("/ui/")).text(), /id="me-username">pia</);

  // A used challenge is refused with a message on the form.
  const again = new UiClient(m.url);
  const replay = await again.post("/ui/login", {
    _csrf: await again.csrf("/ui/login"),
    passkey_challenge: lb.challenge_id,
    passkey_response: JSON.stringify(auth.get(lb.options)),
  });
  assert.equal(replay.status, 401);
  assert.match(await replay.text(), /expired or was already used/);
  assert.equal(again.sessionToken(), undefined);

  const removed = await ui.post("/ui/passkeys/remove", { _csrf: csrfOf(listed), id });
  assert.equal(removed.status, 303);
  const after = await json<{ passkeys: unknown[] }>(
    await m.api("GET", "/v1/auth/passkeys", undefined, ui.sessionToken()),
  );
  assert.deepEqual(after.passkeys, []);
});

test("an admin sees and removes a user's passkey on the account page", async () => {
  const ui = new UiClient(m.url);
  assert.equal((await ui.login("pia", "pia-password-123")).status, 303);
  const csrf = await ui.csrf();
  const begin = await json<Begin>(
    await ui.post("/ui/passkeys/begin", {}, { "x-csrf-token": csrf }),
  );
  const auth = new SoftAuthenticator(ORIGIN);
  const finish = await ui.post("/ui/passkeys/finish", {
    _csrf: csrf,
    challenge_id: begin.challenge_id,
    response: JSON.stringify(auth.create(begin.options)),
    name: "tablet",
  });
  assert.equal(finish.status, 303);

  const admin = new UiClient(m.url);
  assert.equal((await admin.login(m.adminUsername, m.adminPassword)).status, 303);
  const page = await (await admin.get("/ui/admin/accounts/pia")).text();
  assert.match(page, /tablet/);
  const id = /passkeys\/remove"[\s\S]*?name="id" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(id);
  const res = await admin.post("/ui/admin/accounts/pia/passkeys/remove", {
    _csrf: csrfOf(page),
    id,
  });
  assert.equal(res.status, 303);
  const left = await json<{ passkeys: unknown[] }>(await m.api("GET", "/v1/accounts/pia/passkeys"));
  assert.deepEqual(left.passkeys, []);
});
