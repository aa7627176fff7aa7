// OIDC clients registered at run time with mciasctl (no [[oidc_clients]] in the config, only
// the issuer): register, sign in through openid-client, list, refuse duplicates, delete —
// which revokes every token the client was issued.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { after, before, test } from "node:test";
import * as oidc from "openid-client";
import { Browser, type OidcMcias, PASSWORD, signIn, startOidcMcias } from "./oidc-helpers.ts";

const CTL = resolve(import.meta.dirname, "../src/cmd/mciasctl.ts");
const REDIRECT = "http://127.0.0.1:9/admin-made/cb";
let m: OidcMcias;

before(async () => {
  m = await startOidcMcias("");
  await m.createAccount("ivan", { password: PASSWORD });
});
after(() => m?.stop());

// Asynchronous on purpose: a synchronous spawn froze this process for seconds on a busy machine,
// long enough for the server to close an idle keep-alive socket that undici then reused.
function ctl(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["--import", "tsx", CTL, "--server", m.url, ...args],
      { encoding: "utf8", env: { ...process.env, MCIAS_TOKEN: m.adminToken } },
      (error, out, err) =>
        done({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, out, err }),
    );
  });
}

test("register with mciasctl, sign in, list, delete (revoking its tokens)", async () => {
  const add = await ctl([
    "--json",
    "oidc",
    "client",
    "add",
    "made-at-runtime",
    "--redirect-uri",
    REDIRECT,
    "--service",
    "notes",
    "--post-logout-redirect-uri",
    "http://127.0.0.1:9/notes/bye",
  ]);
  assert.equal(add.code, 0, add.err);
  const created = JSON.parse(add.out) as {
    client_secret: string;
    source: string;
    post_logout_redirect_uris: string[];
  };
  assert.equal(created.source, "admin");
  assert.deepEqual(created.post_logout_redirect_uris, ["http://127.0.0.1:9/notes/bye"]);
  assert.ok(created.client_secret.length >= 43);

  const config = await oidc.discovery(
    new URL(m.issuer),
    "made-at-runtime",
    undefined,
    oidc.ClientSecretBasic(created.client_secret),
    { execute: [oidc.allowInsecureRequests] },
  );
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: "openid profile",
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  });
  const res = await signIn(new Browser(), url.toString(), "ivan");
  assert.equal(res.status, 302, res.text);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(res.location!), {
    pkceCodeVerifier: verifier,
    expectedState: state,
  });
  assert.equal(tokens.claims()?.preferred_username, "ivan");
  // RP-initiated logout may return to the URI registered at run time.
  const bye = new URLSearchParams({
    id_token_hint: tokens.id_token!,
    post_logout_redirect_uri: "http://127.0.0.1:9/notes/bye",
  });
  const out = await fetch(`${m.issuer}/oauth2/logout?${bye}`, { redirect: "manual" });
  assert.equal(out.status, 302);
  assert.equal(out.headers.get("location"), "http://127.0.0.1:9/notes/bye");
  assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, true);

  const list = await ctl(["oidc", "client", "list"]);
  assert.equal(list.code, 0, list.err);
  assert.match(list.out, /made-at-runtime\s+confidential\s+notes/);
  assert.equal(list.out.includes(created.client_secret), false);
  assert.notEqual(
    (
      await ctl([
        "oidc",
        "client",
        "add",
        "made-at-runtime",
        "--redirect-uri",
        REDIRECT,
        "--service",
        "x",
      ])
    ).code,
    0,
  );

  const del = await ctl(["--json", "oidc", "client", "delete", "made-at-runtime"]);
  assert.equal(del.code, 0, del.err);
  assert.equal((JSON.parse(del.out) as { tokens_revoked: number }).tokens_revoked, 1);
  const v = (await (
    await m.api("POST", "/v1/token/validate", { token: tokens.access_token })
  ).json()) as { valid: boolean };
  assert.equal(v.valid, false);
  // The deleted client can no longer authenticate (401 invalid_client, Basic challenge).
  await assert.rejects(oidc.tokenIntrospection(config, tokens.access_token), (e: unknown) => {
    const x = e as { name?: string; status?: number; error?: string };
    return (
      x.error === "invalid_client" ||
      (x.name === "WWWAuthenticateChallengeError" && x.status === 401)
    );
  });

  const audit = (await (await m.api("GET", "/v1/audit?event=oidc_client_created")).json()) as {
    events: unknown[];
  };
  assert.equal(audit.events.length, 1);
  assert.equal(JSON.stringify(audit.events).includes(created.client_secret), false);
});
