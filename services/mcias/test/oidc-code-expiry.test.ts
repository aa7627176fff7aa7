// Expired authorization codes are refused, for the SSO profile and for OIDC alike. The
// in-process app runs on a real SQLite file with a controllable clock, so "60 s later" needs
// no waiting: the clock is moved past the code's lifetime between login and exchange.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { silentLogger } from "@metacircular/mcdsl/log";
import { makeTempDir } from "@metacircular/testkit";
import { createAccount } from "../src/accounts/admin.ts";
import { type Core, createCore } from "../src/app.ts";
import { configSchema } from "../src/config.ts";
import { openDb } from "../src/db/open.ts";
import { createApp } from "../src/server/app.ts";
import { CODE_TTL_MS } from "../src/sso/codes.ts";
import { PASSWORD, parseForm, pkce, SECRET, secretSha256 } from "./oidc-helpers.ts";

const ISSUER = "https://mcias.test";
const REDIRECT = "https://svc.test/cb";
const tmp = makeTempDir("mcias-expiry-");
let now = Date.parse("2026-01-01T00:00:00Z");
let core: Core;
let app: ReturnType<typeof createApp>["app"];

before(async () => {
  const cfg = configSchema.parse({
    server: { listen_addr: "127.0.0.1:0" },
    database: { path: tmp.join("mcias.db") },
    argon2: { memory_kib: 1024, time_cost: 1 },
    policy: { default: "allow" },
    oidc: { issuer: ISSUER },
    sso_clients: [{ client_id: "sso-web", redirect_uri: REDIRECT, service_name: "svc" }],
    oidc_clients: [
      {
        client_id: "rp",
        client_secret_sha256: secretSha256(SECRET),
        redirect_uris: [REDIRECT],
        service_name: "svc",
      },
    ],
  });
  core = createCore(cfg, openDb(cfg.database.path), () => now);
  app = createApp(core, silentLogger("mcias"), "test").app;
  await createAccount(core, "test", {
    username: "gail",
    type: "human",
    roles: ["user"],
    password: PASSWORD,
  });
});
after(() => {
  core.hasher.close();
  core.db.close();
  tmp.remove();
});

/** GET the form at `path?query`, POST gail's credentials, return the code from the 302. */
async function login(path: string, query: Record<string, string>): Promise<string> {
  const page = await app.request(`${ISSUER}${path}?${new URLSearchParams(query)}`);
  assert.equal(page.status, 200);
  const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0]!;
  const { fields } = parseForm(await page.text());
  const res = await app.request(`${ISSUER}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ ...fields, username: "gail", password: PASSWORD }),
  });
  assert.equal(res.status, 302, await res.clone().text());
  return new URL(res.headers.get("location")!).searchParams.get("code")!;
}

test("an SSO code presented after 60 s is refused with invalid_grant", async () => {
  const { verifier, challenge } = pkce();
  const code = await login("/sso/authorize", {
    client_id: "sso-web",
    redirect_uri: REDIRECT,
    state: "s",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  now += CODE_TTL_MS;
  const res = await app.request("/v1/sso/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_id: "sso-web",
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    }),
  });
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, "invalid_grant");
});

test("an OIDC code presented after 60 s is refused with invalid_grant; one just in time works", async () => {
  const exchange = async (code: string, verifier: string) =>
    app.request("/oauth2/token", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`rp:${SECRET}`).toString("base64")}`,
      },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      }),
    });
  const query = (challenge: string) => ({
    response_type: "code",
    client_id: "rp",
    redirect_uri: REDIRECT,
    scope: "openid",
    nonce: "n",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const late = pkce();
  const lateCode = await login("/oauth2/authorize", query(late.challenge));
  now += CODE_TTL_MS;
  const res = await exchange(lateCode, late.verifier);
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { error: string }).error, "invalid_grant");

  const timely = pkce();
  const code = await login("/oauth2/authorize", query(timely.challenge));
  now += CODE_TTL_MS - 1000;
  assert.equal((await exchange(code, timely.verifier)).status, 200);
});

test("an SSO code presented a second time revokes the token it was exchanged for", async () => {
  const { verifier, challenge } = pkce();
  const code = await login("/sso/authorize", {
    client_id: "sso-web",
    redirect_uri: REDIRECT,
    state: "s",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const exchange = () =>
    app.request("/v1/sso/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_id: "sso-web",
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      }),
    });
  const first = await exchange();
  assert.equal(first.status, 200);
  const { token } = (await first.json()) as { token: string };
  assert.equal(core.tokens.validate(token).valid, true);
  assert.equal((await exchange()).status, 400);
  assert.equal(core.tokens.validate(token).valid, false);
});
