// Web UI sessions against a real mcias process: redirects, password and TOTP sign-in, CSRF,
// logout and revocation through the REST API, TOTP enrolment in the browser flow.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { totpAt } from "../src/totp/totp.ts";
import { json, type MciasInstance, startMcias } from "./helpers.ts";
import { csrfOf, UiClient } from "./web-ui-client.ts";

let m: MciasInstance;

before(async () => {
  m = await startMcias({ extraToml: '[policy]\ndefault = "allow"' });
  await m.createAccount("alice", { password: "alice-password-123" });
  await m.createAccount("tina", { password: "tina-password-123" });
});
after(() => m?.stop());

async function valid(token: string): Promise<boolean> {
  const res = await m.api("POST", "/v1/token/validate", { token });
  return (await json<{ valid: boolean }>(res)).valid;
}

test("anonymous browsers are sent to the login page; / goes to /ui/", async () => {
  const ui = new UiClient(m.url);
  const root = await ui.get("/");
  assert.equal(root.status, 303);
  assert.equal(root.headers.get("location"), "/ui/");
  for (const path of ["/ui/", "/ui/admin/accounts", "/ui/admin/audit?page=2"]) {
    const res = await ui.get(path);
    assert.equal(res.status, 303, path);
    assert.equal(res.headers.get("location"), `/ui/login?next=${encodeURIComponent(path)}`);
  }
  const login = await ui.get("/ui/login");
  assert.equal(login.status, 200);
  assert.match(login.headers.get("content-security-policy") ?? "", /script-src 'self'/);
  assert.doesNotMatch(login.headers.get("content-security-policy") ?? "", /unsafe-inline/);
  assert.equal(login.headers.get("x-frame-options"), "DENY");
  const html = await login.text();
  const htmxHref = /<script src="(\/_kit\/htmx\.[0-9a-f]+\.js)"/.exec(html)?.[1];
  assert.ok(htmxHref, "htmx comes from the web kit");
  assert.doesNotMatch(html, /<script>/, "no inline script");
  const boosted = await fetch(`${m.url}/ui/login?next=%2Fui%2F`, {
    headers: { "hx-request": "true" },
  });
  assert.equal(boosted.headers.get("hx-redirect"), "/ui/login?next=%2Fui%2F", "full page load");
  const htmx = await ui.get(htmxHref);
  assert.equal(htmx.status, 200);
  assert.match(htmx.headers.get("content-type") ?? "", /javascript/);
  assert.equal(htmx.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.equal((await ui.get("/_kit/htmx.min.js")).status, 404);
});

test("password login sets an HttpOnly session cookie on /ui holding a token for mcias", async () => {
  const ui = new UiClient(m.url);
  const res = await ui.login("alice", "alice-password-123");
  assert.equal(res.status, 303, await res.clone().text());
  assert.equal(res.headers.get("location"), "/ui/");
  const set = res.headers.getSetCookie().find((x) => x.startsWith("mcias_ui="));
  assert.match(set ?? "", /HttpOnly/);
  assert.match(set ?? "", /Path=\/ui/);
  assert.match(set ?? "", /SameSite=Lax/);
  const page = await ui.get("/ui/");
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /id="me-username">alice</);
  assert.doesNotMatch(html, /href="\/ui\/admin\/accounts"/, "no admin links for a user");
  const token = ui.sessionToken()!;
  const v = await json<{ valid: boolean; audience: string }>(
    await m.api("POST", "/v1/token/validate", { token }),
  );
  assert.equal(v.valid, true);
  assert.equal(v.audience, "mcias");
});

test("a wrong password re-renders the form with an error and the name escaped", async () => {
  const ui = new UiClient(m.url);
  const res = await ui.login("<script>alert(1)</script>", "nope");
  assert.equal(res.status, 401);
  const html = await res.text();
  assert.match(html, /Invalid username or password/);
  assert.match(html, /value="&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  assert.doesNotMatch(html, /<script>alert/);
  assert.equal(ui.sessionToken(), undefined);
});

test("TOTP: enrol in the UI, then login needs the code", async () => {
  const ui = new UiClient(m.url);
  assert.equal((await ui.login("tina", "tina-password-123")).status, 303);
  const enrol = await ui.post("/ui/totp/enroll", { _csrf: await ui.csrf() });
  assert.equal(enrol.status, 200);
  const page = await enrol.text();
  const secret = /id="totp-secret">([A-Z2-7]+)</.exec(page)?.[1];
  assert.ok(secret, "the secret is shown");
  assert.match(page, /<svg/);
  const bad = await ui.post("/ui/totp/confirm", { _csrf: csrfOf(page), code: "000000" });
  assert.equal(bad.status, 400);
  const ok = await ui.post("/ui/totp/confirm", {
    _csrf: csrfOf(page),
    code: totpAt(secret, Date.now()),
  });
  assert.equal(ok.status, 200);
  const codes = [...(await ok.text()).matchAll(/<li><code>([a-z2-7-]+)<\/code><\/li>/g)];
  assert.equal(codes.length, 10, "ten recovery codes");

  const next = new UiClient(m.url);
  const missing = await next.login("tina", "tina-password-123");
  assert.equal(missing.status, 401);
  assert.match(await missing.text(), /TOTP code is required/);
  const withCode = await next.login(
    "tina",
    "tina-password-123",
    totpAt(secret, Date.now() + 30_000),
  );
  assert.equal(withCode.status, 303);
  assert.equal((await next.get("/ui/")).status, 200);
});

test("mutating requests without or with a wrong CSRF token are refused and change nothing", async () => {
  const ui = new UiClient(m.url);
  assert.equal((await ui.login("alice", "alice-password-123")).status, 303);
  const change = { current_password: "alice-password-123", new_password: "new-password-456" };
  for (const extra of [
    {} as Record<string, string>,
    { _csrf: "forged" },
    { _csrf: csrfOf(await (await new UiClient(m.url).get("/ui/login")).text()) },
  ]) {
    const res = await ui.post("/ui/password", { ...change, ...extra });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /CSRF/);
  }
  const wrongHeader = await ui.post("/ui/password", change, { "x-csrf-token": "forged" });
  assert.equal(wrongHeader.status, 403);
  const login = await m.api("POST", "/v1/auth/login", {
    username: "alice",
    password: "alice-password-123",
  });
  assert.equal(login.status, 200, "the password is unchanged");
  const anon = new UiClient(m.url);
  await anon.get("/ui/login");
  const forged = await anon.post("/ui/login", {
    username: "alice",
    password: "alice-password-123",
  });
  assert.equal(forged.status, 403, "the login form is CSRF-protected too");
  // The htmx header form of the token works.
  const viaHeader = await ui.post("/ui/password", change, { "x-csrf-token": await ui.csrf() });
  assert.equal(viaHeader.status, 303);
  const back = await ui.post("/ui/password", {
    _csrf: await ui.csrf(),
    current_password: "new-password-456",
    new_password: "alice-password-123",
  });
  assert.equal(back.status, 303);
});

test("non-admins cannot reach admin pages", async () => {
  const ui = new UiClient(m.url);
  assert.equal((await ui.login("alice", "alice-password-123")).status, 303);
  const csrf = await ui.csrf();
  for (const path of [
    "/ui/admin/accounts",
    "/ui/admin/policies",
    "/ui/admin/audit",
    "/ui/admin/sso-clients",
  ])
    assert.equal((await ui.get(path)).status, 403, path);
  const create = await ui.post("/ui/admin/accounts", { _csrf: csrf, username: "mallory" });
  assert.equal(create.status, 403);
  assert.equal((await m.api("GET", "/v1/accounts/mallory")).status, 404);
});

test("logout revokes the session token", async () => {
  const ui = new UiClient(m.url);
  assert.equal((await ui.login("alice", "alice-password-123")).status, 303);
  const token = ui.sessionToken()!;
  const res = await ui.post("/ui/logout", { _csrf: await ui.csrf() });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/ui/login?done=signed_out");
  assert.equal(ui.sessionToken(), undefined, "the cookie is cleared");
  assert.equal(await valid(token), false);
  ui.jar.set("mcias_ui", token);
  assert.equal((await ui.get("/ui/")).status, 303, "the old cookie no longer works");
});

test("revoking the session token over REST signs the browser out", async () => {
  const ui = new UiClient(m.url);
  assert.equal((await ui.login("alice", "alice-password-123")).status, 303);
  assert.equal((await ui.get("/ui/")).status, 200);
  const me = await json<{ token_id: string }>(
    await m.api("GET", "/v1/auth/me", undefined, ui.sessionToken()),
  );
  assert.equal((await m.api("POST", "/v1/token/revoke", { token_id: me.token_id })).status, 200);
  const res = await ui.get("/ui/");
  assert.equal(res.status, 303);
  assert.match(res.headers.get("location") ?? "", /^\/ui\/login/);
});

test("a user revokes another of their sessions from the sessions list", async () => {
  const a = new UiClient(m.url);
  const b = new UiClient(m.url);
  assert.equal((await a.login("alice", "alice-password-123")).status, 303);
  assert.equal((await b.login("alice", "alice-password-123")).status, 303);
  const bId = await json<{ token_id: string }>(
    await m.api("GET", "/v1/auth/me", undefined, b.sessionToken()),
  );
  const page = await (await a.get("/ui/")).text();
  assert.match(page, new RegExp(`value="${bId.token_id}"`));
  const res = await a.post("/ui/sessions/revoke", { _csrf: csrfOf(page), token_id: bId.token_id });
  assert.equal(res.status, 303);
  assert.equal((await b.get("/ui/")).status, 303);
  assert.equal((await a.get("/ui/")).status, 200);
});
