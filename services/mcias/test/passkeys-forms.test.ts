// Passkey sign-in through the HTML form entry point (POST /sso/authorize carrying
// passkey_challenge + passkey_response), a TOTP-enrolled account (a passkey is both factors)
// and the same flows over gRPC.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AccountService } from "@metacircular/proto/mcias/v1/account_pb";
import { AuthService } from "@metacircular/proto/mcias/v1/auth_pb";
import { totpAt } from "../src/totp/totp.ts";
import { json, type MciasInstance, startMcias } from "./helpers.ts";
import {
  beginLogin,
  ORIGIN,
  passkeyLogin,
  registerPasskey,
  SoftAuthenticator,
  userToken,
  WEBAUTHN_TOML,
} from "./passkeys-helpers.ts";

const REDIRECT = "http://127.0.0.1:9/sso/callback";
let m: MciasInstance;
const frank = new SoftAuthenticator(ORIGIN);

before(async () => {
  m = await startMcias({
    grpc: true,
    extraToml: [
      WEBAUTHN_TOML,
      "[[sso_clients]]",
      'client_id = "demo-web"',
      `redirect_uri = "${REDIRECT}"`,
      'service_name = "demo"',
      "[policy]",
      'default = "allow"',
    ].join("\n"),
  });
  await m.createAccount("frank", { password: "frank-password-123" });
  const token = await userToken(m, "frank", "frank-password-123");
  const e = await json<{ secret: string }>(
    await m.api("POST", "/v1/auth/totp/enroll", undefined, token),
  );
  const ok = await m.api(
    "POST",
    "/v1/auth/totp/confirm",
    { code: totpAt(e.secret, Date.now()) },
    token,
  );
  assert.equal(ok.status, 200);
  assert.equal((await registerPasskey(m, token, frank)).status, 201);
});
after(() => m?.stop());

test("a TOTP-enrolled account signs in with its passkey alone", async () => {
  const pw = await m.api(
    "POST",
    "/v1/auth/login",
    { username: "frank", password: "frank-password-123" },
    "",
  );
  assert.equal(pw.status, 401, "the password alone is not enough");
  const res = await passkeyLogin(m, frank);
  assert.equal(res.status, 200, await res.clone().text());
});

test("the SSO form accepts a passkey assertion instead of a password", async () => {
  const verifier = randomBytes(32).toString("base64url");
  const q = {
    client_id: "demo-web",
    redirect_uri: REDIRECT,
    state: "st",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  };
  const page = await fetch(`${m.url}/sso/authorize?${new URLSearchParams(q)}`);
  const html = await page.text();
  assert.match(html, /id="passkey-sign-in"/);
  assert.match(html, /<script src="\/static\/webauthn.js" defer><\/script>/);
  assert.match(
    page.headers.get("content-security-policy") ?? "",
    /script-src 'self'; connect-src 'self'/,
  );
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
  const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0]!;
  const submit = async (fields: Record<string, string>) =>
    fetch(`${m.url}/sso/authorize`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ ...q, _csrf: csrf, username: "", password: "", ...fields }),
    });
  const b = await beginLogin(m);
  const fields = {
    passkey_challenge: b.challenge_id,
    passkey_response: JSON.stringify(frank.get(b.options)),
  };
  const res = await submit(fields);
  assert.equal(res.status, 302, await res.clone().text());
  const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
  const tok = await fetch(`${m.url}/v1/sso/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_id: "demo-web",
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    }),
  });
  const t = await json<{ token: string }>(tok);
  const v = await json(
    await m.api("POST", "/v1/token/validate", { token: t.token, service_name: "demo" }, ""),
  );
  assert.equal(v.username, "frank");

  const replay = await submit(fields);
  assert.equal(replay.status, 401, "a used assertion re-renders the form");
  assert.match(await replay.text(), /expired or was already used/);
  const garbage = await submit({ passkey_challenge: "x", passkey_response: "{not json" });
  assert.equal(garbage.status, 401);
  assert.match(await garbage.text(), /unreadable passkey response/);
});

test("gRPC: register, list, log in without a username, admin removal", async () => {
  const login0 = await json<{ token: string }>(await passkeyLogin(m, frank));
  const auth =
    (t?: string): Interceptor =>
    (next) =>
    (req) => {
      if (t) req.header.set("authorization", `Bearer ${t}`);
      return next(req);
    };
  const client = <S extends typeof AuthService | typeof AccountService>(s: S, t?: string) =>
    createClient(s, createGrpcTransport({ baseUrl: m.grpcUrl!, interceptors: [auth(t)] }));
  const me = client(AuthService, login0.token);
  const key = new SoftAuthenticator(ORIGIN, "EdDSA");
  const begin = await me.beginPasskeyRegistration({});
  const done = await me.finishPasskeyRegistration({
    challengeId: begin.challengeId,
    responseJson: JSON.stringify(key.create(JSON.parse(begin.optionsJson))),
    name: "grpc key",
  });
  assert.equal(done.passkey?.name, "grpc key");
  assert.equal((await me.listPasskeys({})).passkeys.length, 2);

  const anon = client(AuthService);
  const lb = await anon.beginPasskeyLogin({});
  const res = await anon.finishPasskeyLogin({
    challengeId: lb.challengeId,
    responseJson: JSON.stringify(key.get(JSON.parse(lb.optionsJson))),
    serviceName: "demo",
  });
  assert.equal(res.username, "frank");
  await assert.rejects(
    anon.finishPasskeyLogin({ challengeId: lb.challengeId, responseJson: "{}" }),
    (e) => e instanceof ConnectError && e.code === Code.InvalidArgument,
  );
  await assert.rejects(
    anon.listPasskeys({}),
    (e) => e instanceof ConnectError && e.code === Code.Unauthenticated,
  );

  const admin = client(AccountService, m.adminToken);
  const listed = await admin.listAccountPasskeys({ username: "frank" });
  assert.equal(listed.passkeys.length, 2);
  await admin.deleteAccountPasskey({ username: "frank", id: done.passkey!.id });
  await assert.rejects(
    admin.deleteAccountPasskey({ username: "frank", id: done.passkey!.id }),
    (e) => e instanceof ConnectError && e.code === Code.NotFound,
  );
  await assert.rejects(
    client(AccountService, login0.token).listAccountPasskeys({ username: "frank" }),
    (e) => e instanceof ConnectError && e.code === Code.PermissionDenied,
  );
});
