// mcdsl/sso against a real mcias process over plain HTTP: the password fallback form, the
// redirect to MCIAS with PKCE, callback state checks, and a browser-facing MCIAS URL that only the
// redirect uses (the code exchange goes to mciasUrl). The full browser flow is in e2e/.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { type MciasInstance, ssoClientToml, startMcias } from "@metacircular/testkit";
import { Hono } from "hono";
import { ssoClientOptions, ssoRoutes } from "../src/sso/index.ts";

let m: MciasInstance;
const REDIRECT = "http://svc.test/sso/callback";
/** A name only the browser could resolve: the service must never call it. */
const PUBLIC_MCIAS = "https://mcias.example.test:8443";

before(async () => {
  m = await startMcias({
    extraToml: `${ssoClientToml("demo-web", REDIRECT, "demo")}\n[policy]\ndefault = "allow"`,
  });
  await m.createAccount("dave", { password: "dave-password-123" });
});
after(() => m?.stop());

function service(sso: boolean, mciasPublicUrl?: string) {
  const app = new Hono();
  const session = ssoRoutes(app, {
    mciasUrl: m.url,
    serviceName: "demo",
    sessionKeys: randomBytes(32),
    ...(sso ? { clientId: "demo-web", redirectUri: REDIRECT } : {}),
    ...(mciasPublicUrl ? { mciasPublicUrl } : {}),
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

/** What a browser does at MCIAS's /sso/authorize (at `mciasBase`): load the form, submit it. */
async function signInAtMcias(mciasBase: string, query: string): Promise<URL> {
  const form = await fetch(`${mciasBase}/sso/authorize?${query}`);
  assert.equal(form.status, 200);
  const html = await form.text();
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/type="hidden" name="([^"]+)" value="([^"]*)"/g))
    fields.set(
      name!,
      value!.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))),
    );
  fields.set("username", "dave");
  fields.set("password", "dave-password-123");
  const done = await fetch(`${mciasBase}/sso/authorize`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: cookieOf(form, "mcias_sso_pre"),
    },
    body: fields,
  });
  assert.equal(done.status, 302, await done.text());
  return new URL(done.headers.get("location") ?? "");
}

test("mciasPublicUrl: the browser is sent there; the code is exchanged with mciasUrl", async () => {
  const app = service(true, PUBLIC_MCIAS);
  const res = await app.request("/sso/redirect");
  assert.equal(res.status, 302);
  const loc = new URL(res.headers.get("location") ?? "");
  assert.equal(`${loc.origin}${loc.pathname}`, `${PUBLIC_MCIAS}/sso/authorize`);
  assert.equal(loc.searchParams.get("redirect_uri"), REDIRECT);

  // The "browser" reaches the public name as the real MCIAS; the service must not try it.
  const back = await signInAtMcias(m.url, loc.search.slice(1));
  assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
  const done = await app.request(`/sso/callback${back.search}`, {
    headers: { cookie: cookieOf(res, "mc_sso_state") },
  });
  assert.equal(done.status, 302, await done.clone().text());
  assert.equal(done.headers.get("location"), "/");
  const home = await app.request("/", { headers: { cookie: cookieOf(done, "mc_session") } });
  assert.equal(await home.text(), "dave");
});

test("ssoClientOptions maps the [sso] section and leaves unset keys out", () => {
  assert.deepEqual(ssoClientOptions({}), {});
  assert.deepEqual(
    ssoClientOptions({
      client_id: "mcq",
      redirect_uri: "https://mcq.localhost:8443/sso/callback",
      mcias_public_url: "https://mcias.localhost:8443",
    }),
    {
      clientId: "mcq",
      redirectUri: "https://mcq.localhost:8443/sso/callback",
      mciasPublicUrl: "https://mcias.localhost:8443",
    },
  );
});
