// MCIAS as an OpenID Connect provider for openid-client (npm), a relying-party library
// nobody here wrote: discovery, authorization code + PKCE with the ID token's signature
// checked against the JWKS, userinfo, RFC 7662 introspection, refresh-token rotation and
// RFC 7009 revocation.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import * as oidc from "openid-client";
import {
  Browser,
  type OidcMcias,
  PASSWORD,
  SECRET,
  secretSha256,
  signIn,
  startOidcMcias,
} from "./oidc-helpers.ts";

const CONF_REDIRECT = "http://127.0.0.1:9/conf/callback";
const PUB_REDIRECT = "http://127.0.0.1:9/pub/callback";
let m: OidcMcias;

before(async () => {
  m = await startOidcMcias(
    [
      "[[oidc_clients]]",
      'client_id = "rp-conf"',
      `client_secret_sha256 = "${secretSha256(SECRET)}"`,
      `redirect_uris = ["${CONF_REDIRECT}"]`,
      'service_name = "wiki"',
      "[[oidc_clients]]",
      'client_id = "rp-pub"',
      'type = "public"',
      `redirect_uris = ["${PUB_REDIRECT}"]`,
      'service_name = "wiki"',
      'scopes = ["openid", "profile"]',
    ].join("\n"),
  );
  await m.createAccount("dana", { password: PASSWORD, roles: ["user"] });
});
after(() => m?.stop());

async function discover(clientId: string, auth: oidc.ClientAuth, secret?: string) {
  const config = await oidc.discovery(new URL(m.issuer), clientId, secret, auth, {
    execute: [oidc.allowInsecureRequests],
  });
  // Make openid-client verify the ID token's JWS against MCIAS's JWKS, not just trust TLS.
  oidc.enableNonRepudiationChecks(config);
  return config;
}

async function codeFlow(config: oidc.Configuration, redirectUri: string, scope: string) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  });
  const res = await signIn(new Browser(), url.toString(), "dana");
  assert.equal(res.status, 302, res.text);
  assert.ok(res.location?.startsWith(`${redirectUri}?`));
  return oidc.authorizationCodeGrant(config, new URL(res.location!), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  });
}

test("discovery publishes the issuer, endpoints, S256 and RS256", async () => {
  const config = await discover("rp-conf", oidc.ClientSecretBasic(SECRET));
  const md = config.serverMetadata();
  assert.equal(md.issuer, m.issuer);
  assert.equal(md.authorization_endpoint, `${m.issuer}/oauth2/authorize`);
  assert.deepEqual(md.code_challenge_methods_supported, ["S256"]);
  assert.deepEqual(md.id_token_signing_alg_values_supported, ["RS256"]);
  const jwks = (await (await fetch(md.jwks_uri!)).json()) as { keys: { kty: string }[] };
  assert.deepEqual(jwks.keys.map((k) => k.kty).sort(), ["OKP", "RSA", "RSA"]);
});

test("confidential client: code + PKCE, verified ID token, userinfo, introspection, refresh, revocation", async () => {
  const config = await discover("rp-conf", oidc.ClientSecretBasic(SECRET));
  const tokens = await codeFlow(config, CONF_REDIRECT, "openid profile roles offline_access");
  const claims = tokens.claims();
  assert.ok(claims);
  assert.equal(claims.iss, m.issuer);
  assert.equal(claims.aud, "rp-conf");
  assert.equal(claims.preferred_username, "dana");
  assert.deepEqual(claims.roles, ["user"]);
  assert.equal(typeof claims.auth_time, "number");
  assert.equal(typeof claims.at_hash, "string");
  assert.ok(tokens.refresh_token);

  const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.preferred_username, "dana");
  assert.deepEqual(info.roles, ["user"]);

  const intro = await oidc.tokenIntrospection(config, tokens.access_token);
  assert.equal(intro.active, true);
  assert.equal(intro.client_id, "rp-conf");
  assert.equal(intro.username, "dana");
  assert.equal(intro.aud, "wiki");
  assert.equal(intro.scope, "openid profile roles offline_access");

  // The access token is an ordinary MCIAS token for the client's service.
  const v = (await (
    await m.api("POST", "/v1/token/validate", { token: tokens.access_token, service_name: "wiki" })
  ).json()) as { valid: boolean; username: string };
  assert.equal(v.valid, true);

  // Refresh rotates: the new pair works, the old refresh token is spent.
  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
  assert.notEqual(refreshed.access_token, tokens.access_token);
  assert.ok(refreshed.refresh_token);
  assert.equal((await oidc.tokenIntrospection(config, refreshed.access_token)).active, true);

  await oidc.tokenRevocation(config, refreshed.access_token);
  assert.equal((await oidc.tokenIntrospection(config, refreshed.access_token)).active, false);
  const after = (await (
    await m.api("POST", "/v1/token/validate", { token: refreshed.access_token })
  ).json()) as { valid: boolean };
  assert.equal(after.valid, false, "revocation reaches MCIAS's own validation");

  // Revoking an unknown token is still a 200 (RFC 7009 §2.2).
  await oidc.tokenRevocation(config, "not-a-token-at-all");

  // Reusing the rotated refresh token revokes the whole grant, including the first token.
  await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token), (e: unknown) => {
    return (e as { error?: string }).error === "invalid_grant";
  });
  assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, false);
  assert.equal((await oidc.tokenIntrospection(config, refreshed.refresh_token!)).active, false);
});

test("public client: no secret, PKCE + nonce, ID token without roles scope", async () => {
  const config = await discover("rp-pub", oidc.None());
  const tokens = await codeFlow(config, PUB_REDIRECT, "openid profile");
  const claims = tokens.claims();
  assert.equal(claims?.aud, "rp-pub");
  assert.equal(claims?.preferred_username, "dana");
  assert.equal(claims?.roles, undefined);
  assert.equal(tokens.refresh_token, undefined, "no offline_access, no refresh token");
  const info = await oidc.fetchUserInfo(config, tokens.access_token, claims!.sub);
  assert.equal(info.sub, claims!.sub);
  // A public client may revoke its own token.
  await oidc.tokenRevocation(config, tokens.access_token);
  const conf = await discover("rp-conf", oidc.ClientSecretPost(SECRET));
  assert.equal((await oidc.tokenIntrospection(conf, tokens.access_token)).active, false);
});

test("the audit log records every code and token issued, never the tokens", async () => {
  const audit = async (event: string) =>
    ((await (await m.api("GET", `/v1/audit?event=${event}`)).json()) as { events: unknown[] })
      .events;
  const issued = await audit("oidc_token_issued");
  assert.ok(issued.length >= 3);
  assert.ok((await audit("oidc_code_issued")).length >= 2);
  assert.equal(JSON.stringify(issued).includes("eyJ"), false, "no JWTs in the audit log");
});

const CTL = resolve(import.meta.dirname, "../src/cmd/mciasctl.ts");
// Asynchronous on purpose: a synchronous spawn froze this process for seconds on a busy machine,
// long enough for the server to close an idle keep-alive socket that undici then reused.
const run = promisify(execFile);
const ctl = async (args: string[]) => {
  const r = await run(process.execPath, ["--import", "tsx", CTL, "--server", m.url, ...args], {
    encoding: "utf8",
    env: { ...process.env, MCIAS_TOKEN: m.adminToken },
  });
  return r.stdout;
};

test("mciasctl: secrets for the config, discovery, ID-token key rotation seen by openid-client", async () => {
  const s = JSON.parse(await ctl(["--json", "oidc", "secret"])) as Record<string, string>;
  assert.ok(s.client_secret!.length >= 43);
  assert.equal(createHash("sha256").update(s.client_secret!).digest("hex"), s.client_secret_sha256);
  assert.match(await ctl(["oidc", "discovery"]), new RegExp(`issuer\\s+${m.issuer}`));

  const config = await discover("rp-conf", oidc.ClientSecretPost(SECRET));
  await codeFlow(config, CONF_REDIRECT, "openid");
  const rotated = JSON.parse(await ctl(["--json", "oidc", "rotate-key"])) as {
    kid: string;
    keys: string[];
  };
  assert.equal(rotated.keys.length, 3, "previous, current and pre-published next key");
  // The new key was published before it signed: openid-client's cached JWKS already has it.
  const tokens = await codeFlow(config, CONF_REDIRECT, "openid");
  const header = JSON.parse(Buffer.from(tokens.id_token!.split(".")[0]!, "base64url").toString());
  assert.equal(header.kid, rotated.kid);
});
