// mcdsl/sso against a real mcias process over plain HTTP: the password fallback form, the
// redirect to MCIAS with PKCE, and callback state checks. The full browser flow is in e2e/.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { type MciasInstance, startMcias } from "@metacircular/testkit";
import { Hono } from "hono";
import { ssoRoutes } from "../src/sso/index.ts";

let m: MciasInstance;
const REDIRECT = "http://svc.test/sso/callback";

before(async () => {
  m = await startMcias({ extraToml: '[policy]\ndefault = "allow"' });
  await m.createAccount("dave", { password: "dave-password-123" });
});
after(() => m?.stop());

function service(sso: boolean) {
  const app = new Hono();
  const session = ssoRoutes(app, {
    mciasUrl: m.url,
    serviceName: "demo",
    sessionKeys: randomBytes(32),
    ...(sso ? { clientId: "demo-web", redirectUri: REDIRECT } : {}),
  });
  app.get("/", (c) => c.text(session.get(c)?.username ?? "anonymous"));
  app.onError((e, c) => {
    const err = e as { status?: number; code?: string };
    return c.json({ error: { code: err.code } }, (err.status ?? 500) as 400);
  });
  return app;
}

const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((h) => h.split(";")[0]!)
    .find((kv) => kv.startsWith(`${name}=`)) ?? "";

test("fallback form: CSRF-protected password login sets the session", async () => {
  const app = service(false);
  const page = await app.request("/login");
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
  const pre = cookieOf(page, "mc_login_pre");
  assert.ok(csrf && pre);
  const post = (fields: Record<string, string>, cookie = pre) =>
    app.request("/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ _csrf: csrf, username: "dave", ...fields }),
    });
  assert.equal((await post({ password: "dave-password-123" }, "")).status, 403);
  const wrong = await post({ password: "wrong-password" });
  assert.equal(wrong.status, 401);
  assert.match(await wrong.text(), /id="error"/);
  const ok = await post({ password: "dave-password-123" });
  assert.equal(ok.status, 302);
  assert.equal(ok.headers.get("location"), "/");
  const home = await app.request("/", { headers: { cookie: cookieOf(ok, "mc_session") } });
  assert.equal(await home.text(), "dave");
});

test("SSO mode: /login links to /sso/redirect, which sends PKCE S256 and state to MCIAS", async () => {
  const app = service(true);
  assert.match(await (await app.request("/login")).text(), /href="\/sso\/redirect"/);
  const res = await app.request("/sso/redirect");
  assert.equal(res.status, 302);
  const loc = new URL(res.headers.get("location") ?? "");
  assert.equal(`${loc.origin}${loc.pathname}`, `${m.url}/sso/authorize`);
  assert.equal(loc.searchParams.get("client_id"), "demo-web");
  assert.equal(loc.searchParams.get("redirect_uri"), REDIRECT);
  assert.equal(loc.searchParams.get("code_challenge_method"), "S256");
  assert.match(loc.searchParams.get("code_challenge") ?? "", /^[A-Za-z0-9_-]{43}$/);
  const state = loc.searchParams.get("state") ?? "";
  const cookie = cookieOf(res, "mc_sso_state");
  assert.ok(cookie);

  const noCookie = await app.request(`/sso/callback?code=x&state=${state}`);
  assert.equal(noCookie.status, 400);
  const wrongState = await app.request("/sso/callback?code=x&state=other", {
    headers: { cookie },
  });
  assert.equal(wrongState.status, 400);
  // The right state with a code MCIAS never issued: the exchange is refused.
  const badCode = await app.request(`/sso/callback?code=x&state=${state}`, { headers: { cookie } });
  assert.equal(badCode.status, 400);
  assert.equal(
    ((await badCode.json()) as { error: { code: string } }).error.code,
    "sso_exchange_failed",
  );
});
