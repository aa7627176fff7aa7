// MCIAS's own API (REST and gRPC, real process) takes only tokens MCIAS issued for itself:
// an admin's login token for another service, a system token for another service and OIDC
// access tokens (even one whose client's service is "mcias") are refused on every route and
// method that is not public. Renewal and logout act on the presented token and take any of
// MCIAS's login tokens, never an OIDC access token; client deletion reaches every OIDC token.
import assert from "node:assert/strict";
import { sign } from "node:crypto";
import { after, before, test } from "node:test";
import { Code, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AccountService } from "@metacircular/proto/mcias/v1/account_pb";
import { AdminService } from "@metacircular/proto/mcias/v1/admin_pb";
import { AuthService } from "@metacircular/proto/mcias/v1/auth_pb";
import { PolicyService } from "@metacircular/proto/mcias/v1/policy_pb";
import { TokenService } from "@metacircular/proto/mcias/v1/token_pb";
import {
  bothTransports,
  freePort,
  grpcOutcome,
  type MciasInstance,
  type Outcome,
  restOutcome,
  startMcias,
} from "@metacircular/testkit";
import Database from "better-sqlite3";
import { METHOD_MAP, OWN_TOKEN_METHODS } from "../src/grpcserver/method-map.ts";
import { ACCESS_MAP } from "../src/server/access-map.ts";
import { json } from "./helpers.ts";
import { Browser, PASSWORD, pkce, postForm, signIn } from "./oidc-helpers.ts";

let m: MciasInstance;
let issuer: string;
const CB = "http://127.0.0.1:9/cb";
const t: Record<string, string> = {};
const secrets: Record<string, string> = {};

function grpc(token: string) {
  const auth: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
  const transport = createGrpcTransport({ baseUrl: m.grpcUrl!, interceptors: [auth] });
  return {
    auth: createClient(AuthService, transport),
    accounts: createClient(AccountService, transport),
  };
}

async function login(username: string, password: string, service?: string) {
  const res = await m.api(
    "POST",
    "/v1/auth/login",
    { username, password, ...(service ? { service_name: service } : {}) },
    "",
  );
  assert.equal(res.status, 200, await res.clone().text());
  return (await json<{ token: string }>(res)).token;
}

async function registerClient(id: string, service: string) {
  const res = await m.api("POST", "/v1/oidc/clients", {
    client_id: id,
    redirect_uris: [CB],
    service_name: service,
  });
  assert.equal(res.status, 201, await res.clone().text());
  secrets[id] = (await json<{ client_secret: string }>(res)).client_secret;
}

/** Signs `username` in at client `id` (scope openid only) and redeems the code. */
async function oidcAccessToken(id: string, username: string, password = PASSWORD) {
  const p = pkce();
  const q = new URLSearchParams({
    response_type: "code",
    client_id: id,
    redirect_uri: CB,
    scope: "openid",
    state: "s",
    code_challenge: p.challenge,
    code_challenge_method: "S256",
  });
  const res = await signIn(new Browser(), `${issuer}/oauth2/authorize?${q}`, username, password);
  assert.equal(res.status, 302, res.text);
  const code = new URL(res.location!).searchParams.get("code")!;
  const tok = await postForm(
    `${issuer}/oauth2/token`,
    { grant_type: "authorization_code", code, redirect_uri: CB, code_verifier: p.verifier },
    [id, secrets[id]!],
  );
  assert.equal(tok.status, 200, JSON.stringify(tok.body));
  return String(tok.body.access_token);
}

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  m = await startMcias({
    grpc: true,
    env: { PORT: `127.0.0.1:${port}` },
    extraToml: ["[policy]", 'default = "allow"', "[oidc]", `issuer = "${issuer}"`].join("\n"),
  });
  await m.createAccount("olive", { password: PASSWORD });
  await m.createAccount("svc-a", { type: "system" });
  await registerClient("rp", "svca");
  // A client whose service context is "mcias" itself: its access tokens are still not MCIAS's.
  await registerClient("selfish", "mcias");
  t.adminForeign = await login(m.adminUsername, m.adminPassword, "svca");
  t.systemForeign = await m.issueSystemToken("svc-a", "svca");
  t.adminOidc = await oidcAccessToken("rp", m.adminUsername, m.adminPassword);
  t.adminOidcMcias = await oidcAccessToken("selfish", m.adminUsername, m.adminPassword);
  t.userOidc = await oidcAccessToken("rp", "olive");
});
after(() => m?.stop());

const REFUSAL_CODES = ["wrong_audience", "oauth_token_not_accepted"];
const INVALID_TOKEN = 'Bearer realm="mcias", error="invalid_token"';
/** Principals refused everywhere; the foreign login/system tokens may act on themselves. */
const OAUTH = ["adminOidc", "adminOidcMcias", "userOidc"];
const FOREIGN = ["adminForeign", "systemForeign"];

test("REST: every non-public route refuses tokens for another service and OIDC access tokens", async () => {
  let checked = 0;
  for (const [key, access] of Object.entries(ACCESS_MAP)) {
    if (access === "public" || access.startsWith("ui-")) continue;
    const [method, path] = key.split(" ") as [string, string];
    for (const who of access === "token" ? OAUTH : [...OAUTH, ...FOREIGN]) {
      const res = await m.api(method, path.replace(/:[a-z_]+/g, "x"), {}, t[who]);
      const body = await res.text();
      assert.equal(res.status, 401, `${who} ${key}: ${body}`);
      assert.equal(res.headers.get("www-authenticate"), INVALID_TOKEN, `${who} ${key}`);
      const code = (JSON.parse(body) as { error: { code: string } }).error.code;
      assert.ok(REFUSAL_CODES.includes(code), `${who} ${key}: ${code}`);
      checked++;
    }
  }
  assert.ok(checked > 150, `${checked} checks`);
});

test("REST: Bearer challenges (RFC 6750) without a token and for a user on admin routes", async () => {
  const user = await login("olive", PASSWORD);
  let admin = 0;
  for (const [key, access] of Object.entries(ACCESS_MAP)) {
    if (access === "public" || access.startsWith("ui-")) continue;
    const [method, path] = key.split(" ") as [string, string];
    const url = path.replace(/:[a-z_]+/g, "x");
    const none = await m.api(method, url, {}, "");
    assert.equal(none.status, 401, key);
    assert.equal(none.headers.get("www-authenticate"), 'Bearer realm="mcias"', key);
    if (access !== "admin") continue;
    const res = await m.api(method, url, {}, user);
    assert.equal(res.status, 403, key);
    assert.equal(
      res.headers.get("www-authenticate"),
      'Bearer realm="mcias", error="insufficient_scope"',
      key,
    );
    admin++;
  }
  assert.ok(admin > 20, `${admin} admin routes`);
});

test("gRPC: every non-public method refuses tokens for another service and OIDC access tokens", async () => {
  const services = [AuthService, TokenService, AccountService, PolicyService, AdminService];
  let checked = 0;
  for (const svc of services)
    for (const method of svc.methods) {
      const key = `/${svc.typeName}/${method.name}`;
      if (METHOD_MAP[key] === "public") continue;
      for (const who of OWN_TOKEN_METHODS.has(key) ? OAUTH : [...OAUTH, ...FOREIGN]) {
        const auth: Interceptor = (next) => (req) => {
          req.header.set("authorization", `Bearer ${t[who]}`);
          return next(req);
        };
        const client = createClient(
          svc,
          createGrpcTransport({ baseUrl: m.grpcUrl!, interceptors: [auth] }),
        ) as unknown as Record<string, (req: object) => Promise<unknown>>;
        const o = await grpcOutcome(client[method.localName]!({}));
        assert.equal(o.ok, false, `${who} ${key}`);
        if (!o.ok) {
          assert.equal(o.grpcCode, Code.Unauthenticated, `${who} ${key}`);
          assert.ok(REFUSAL_CODES.includes(o.code), `${who} ${key}: ${o.code}`);
        }
        checked++;
      }
    }
  assert.ok(checked > 100, `${checked} checks`);
});

bothTransports("an admin's token for another service cannot create an admin", async (via) => {
  const username = `mallory-${via}`;
  const o =
    via === "rest"
      ? await restOutcome(
          await m.api(
            "POST",
            "/v1/accounts",
            { username, type: "human", roles: ["admin"], password: "mallory-password-1" },
            t.adminForeign,
          ),
        )
      : await grpcOutcome(
          grpc(t.adminForeign!).accounts.createAccount({
            username,
            roles: ["admin"],
            password: "mallory-password-1",
          }),
        );
  assert.equal((await m.api("GET", `/v1/accounts/${username}`)).status, 404);
  return o;
});

bothTransports("a user's OIDC access token cannot start a passkey registration", async (via) => {
  const o =
    via === "rest"
      ? await restOutcome(await m.api("POST", "/v1/auth/passkeys/register/begin", {}, t.userOidc))
      : await grpcOutcome(grpc(t.userOidc!).auth.beginPasskeyRegistration({}));
  assert.deepEqual(o, {
    ok: false,
    grpcCode: Code.Unauthenticated,
    code: "oauth_token_not_accepted",
  } satisfies Outcome);
  return o;
});

test("a user's OIDC access token cannot enrol TOTP or read the account", async () => {
  for (const [method, path] of [
    ["POST", "/v1/auth/totp/enroll"],
    ["GET", "/v1/auth/me"],
  ] as const) {
    const res = await m.api(method, path, {}, t.userOidc);
    assert.equal(res.status, 401, path);
    assert.equal(
      (await json<{ error: { code: string } }>(res)).error.code,
      "oauth_token_not_accepted",
    );
  }
});

bothTransports("a login token for another service renews within its own audience", async (via) => {
  const token = await login("olive", PASSWORD, "svca");
  const renewed =
    via === "rest"
      ? await restOutcome(
          await m.api("POST", "/v1/auth/renew", undefined, token),
          (b) => (b as { token: string }).token,
        )
      : await grpcOutcome(grpc(token).auth.renewToken({}), (r) => r.token);
  assert.ok(renewed.ok);
  const v = await json<{ valid: boolean; audience: string }>(
    await m.api("POST", "/v1/token/validate", { token: renewed.value, service_name: "svca" }, ""),
  );
  assert.equal(v.valid, true);
  // Still not a token for MCIAS's own API.
  assert.equal((await m.api("GET", "/v1/auth/me", undefined, renewed.value)).status, 401);
  return { ok: renewed.ok, audience: v.audience };
});

bothTransports(
  "an OIDC access token is not renewed; deleting its client revokes it",
  async (via) => {
    const id = `rp-${via}`;
    await registerClient(id, "svca");
    const access = await oidcAccessToken(id, "olive");
    const o =
      via === "rest"
        ? await restOutcome(await m.api("POST", "/v1/auth/renew", undefined, access))
        : await grpcOutcome(grpc(access).auth.renewToken({}));
    const validate = async () =>
      (
        await json<{ valid: boolean }>(
          await m.api("POST", "/v1/token/validate", { token: access, service_name: "svca" }, ""),
        )
      ).valid;
    assert.equal(await validate(), true, "the refused renewal left the token alone");
    const del = await m.api("DELETE", `/v1/oidc/clients/${id}`);
    assert.equal(del.status, 200);
    assert.equal(await validate(), false, "client deletion revoked the access token");
    return o;
  },
  {
    compare: (rest, grpc) => {
      assert.deepEqual(rest, grpc);
      assert.deepEqual(rest, {
        ok: false,
        grpcCode: Code.Unauthenticated,
        code: "oauth_token_not_accepted",
      } satisfies Outcome);
    },
  },
);

test("OIDC access tokens and their introspection name the discovery issuer", async () => {
  const payload = JSON.parse(Buffer.from(t.userOidc!.split(".")[1]!, "base64url").toString()) as {
    iss: string;
    aud: string;
  };
  assert.equal(payload.iss, issuer);
  assert.equal(payload.aud, "svca");
  const intro = await postForm(`${issuer}/oauth2/introspect`, { token: t.userOidc! }, [
    "rp",
    secrets.rp!,
  ]);
  assert.equal(intro.body.active, true);
  assert.equal(intro.body.iss, issuer);
  const disc = await json<{ issuer: string }>(
    await fetch(`${issuer}/.well-known/openid-configuration`),
  );
  assert.equal(disc.issuer, issuer);
});

test("a token whose nbf lies in the future is not valid yet", async () => {
  // Re-sign a real token with MCIAS's own key (read from its database) plus an nbf claim.
  const db = new Database(m.dbPath, { readonly: true, fileMustExist: true });
  const key = db
    .prepare("SELECT kid, private_pem FROM signing_keys WHERE retired_at IS NULL")
    .get() as { kid: string; private_pem: string };
  db.close();
  const base = await login("olive", PASSWORD);
  const [h, p] = base.split(".") as [string, string];
  const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
  const resign = (extra: Record<string, unknown>) => {
    const body = Buffer.from(JSON.stringify({ ...claims, ...extra })).toString("base64url");
    const sig = sign(null, Buffer.from(`${h}.${body}`), key.private_pem).toString("base64url");
    return `${h}.${body}.${sig}`;
  };
  const valid = async (token: string) =>
    (await json<{ valid: boolean }>(await m.api("POST", "/v1/token/validate", { token }, "")))
      .valid;
  const now = Math.floor(Date.now() / 1000);
  assert.equal(await valid(resign({ nbf: now - 60 })), true, "nbf in the past");
  assert.equal(await valid(resign({ nbf: now + 3600 })), false, "nbf in the future");
  assert.equal(await valid(resign({ nbf: "soon" })), false, "nbf not a number");
  assert.equal(await valid(resign({ iss: "someone-else" })), false, "foreign iss");
  assert.equal(await valid(resign({ iss: issuer })), false, "the OAuth issuer on a login token");
});
