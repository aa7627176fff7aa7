// MCIAS (over TLS from a throwaway CA) in front of two relying parties nobody here wrote,
// both Debian's Apache modules:
//  - libapache2-mod-auth-openidc logs a user in with the authorization code flow + PKCE;
//  - libapache2-mod-oauth2 accepts MCIAS access tokens by RFC 7662 introspection.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { freePort, launchBrowser } from "@metacircular/testkit";
import { type Apache, startApache } from "./oidc-apache.ts";
import {
  Browser,
  type OidcMcias,
  PASSWORD,
  pkce,
  SECRET,
  secretSha256,
  signIn,
  startOidcMcias,
} from "./oidc-helpers.ts";

const RS_SECRET = `rs-${randomBytes(24).toString("base64url")}`;
const OTHER_REDIRECT = "http://127.0.0.1:9/other/callback";
let m: OidcMcias;
let apache: Apache;
let caPem: string;

before(async () => {
  const port = await freePort();
  const rpRedirect = `http://127.0.0.1:${port}/protected/redirect_uri`;
  m = await startOidcMcias(
    [
      "[[oidc_clients]]",
      'client_id = "apache-rp"',
      `client_secret_sha256 = "${secretSha256(SECRET)}"`,
      `redirect_uris = ["${rpRedirect}"]`,
      'service_name = "intranet"',
      "[[oidc_clients]]",
      'client_id = "apache-rs"',
      'client_secret_env = "APACHE_RS_SECRET"',
      `redirect_uris = ["http://127.0.0.1:9/unused"]`,
      'service_name = "intranet"',
      "[[oidc_clients]]",
      'client_id = "other-rp"',
      `client_secret_sha256 = "${secretSha256(SECRET)}"`,
      `redirect_uris = ["${OTHER_REDIRECT}"]`,
      'service_name = "other"',
    ].join("\n"),
    { tls: true, env: { APACHE_RS_SECRET: RS_SECRET } },
  );
  caPem = readFileSync(m.caCertPath!, "utf8");
  await m.createAccount("erin", { password: PASSWORD, roles: ["user"] });
  apache = await startApache(port, (put) =>
    [
      `OIDCProviderMetadataURL ${m.issuer}/.well-known/openid-configuration`,
      `OIDCCABundlePath ${put("mcias-ca.pem", caPem)}`,
      "OIDCSSLValidateServer On",
      "OIDCClientID apache-rp",
      `OIDCClientSecret ${SECRET}`,
      `OIDCRedirectURI ${rpRedirect}`,
      `OIDCCryptoPassphrase ${randomBytes(24).toString("hex")}`,
      'OIDCScope "openid profile roles"',
      "OIDCPKCEMethod S256",
      "OIDCProviderTokenEndpointAuth client_secret_basic",
      "OIDCRemoteUserClaim preferred_username",
      "<Location /protected>",
      "  AuthType openid-connect",
      "  Require valid-user",
      "</Location>",
      "<Location /api>",
      "  AuthType oauth2",
      // liboauth2 1.4.5 has no CA option for introspection: TLS without verification here.
      `  OAuth2TokenVerify introspect ${m.issuer}/oauth2/introspect introspect.ssl_verify=false&introspect.auth=client_secret_basic&client_id=apache-rs&client_secret=${RS_SECRET}`,
      "  Require valid-user",
      "</Location>",
    ].join("\n"),
  );
});

after(async () => {
  await apache?.stop();
  await m?.stop();
});

test("mod_auth_openidc: Apache → MCIAS login form → callback → protected page as the user", async () => {
  const b = new Browser(caPem);
  const start = await b.request(`${apache.url}/protected/index.shtml`);
  assert.equal(start.status, 302, apache.output());
  const authorize = new URL(start.location!);
  assert.equal(`${authorize.origin}${authorize.pathname}`, `${m.issuer}/oauth2/authorize`);
  assert.equal(authorize.searchParams.get("code_challenge_method"), "S256");
  assert.ok(authorize.searchParams.get("nonce"));

  const login = await signIn(b, authorize.toString(), "erin");
  assert.equal(login.status, 302, login.text);
  assert.ok(login.location?.startsWith(`${apache.url}/protected/redirect_uri?`));

  const callback = await b.request(login.location!);
  assert.equal(callback.status, 302, `${callback.text}\n${apache.output()}`);
  const protectedPage = await b.request(callback.location!);
  assert.equal(protectedPage.status, 200, apache.output());
  assert.match(protectedPage.text, /<p id="REMOTE_USER">erin<\/p>/);
  assert.match(protectedPage.text, /<p id="OIDC_CLAIM_preferred_username">erin<\/p>/);
  assert.match(protectedPage.text, /<p id="OIDC_CLAIM_roles">user<\/p>/);
});

/** A code flow driven by hand (Browser for the TLS back channel too); returns the tokens. */
async function obtainToken(clientId: string, redirectUri: string): Promise<string> {
  const b = new Browser(caPem);
  const { verifier, challenge } = pkce();
  const q = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: "openid profile",
    state: "st",
    nonce: "nn",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const login = await signIn(b, `${m.issuer}/oauth2/authorize?${q}`, "erin");
  assert.equal(login.status, 302, login.text);
  const code = new URL(login.location!).searchParams.get("code")!;
  const res = await b.request(`${m.issuer}/oauth2/token`, {
    form: {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      client_id: clientId,
      client_secret: SECRET,
    },
  });
  assert.equal(res.status, 200, res.text);
  return (JSON.parse(res.text) as { access_token: string }).access_token;
}

test("mod_oauth2: a live MCIAS token passes introspection; revoked, foreign and bogus ones get 401", async () => {
  const api = (token?: string) =>
    fetch(`${apache.url}/api/index.shtml`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const rpRedirect = `${apache.url}/protected/redirect_uri`;

  const good = await obtainToken("apache-rp", rpRedirect);
  const ok = await api(good);
  const okText = await ok.text();
  assert.equal(ok.status, 200, `${okText}\n${apache.output()}`);
  assert.match(okText, /<p id="OAUTH2_CLAIM_username">erin<\/p>/);
  assert.match(okText, /<p id="OAUTH2_CLAIM_aud">intranet<\/p>/);

  // Revoked before Apache ever saw it (mod_oauth2 caches positive answers for a while).
  const revoked = await obtainToken("apache-rp", rpRedirect);
  const b = new Browser(caPem);
  const rev = await b.request(`${m.issuer}/oauth2/revoke`, {
    form: { token: revoked, client_id: "apache-rp", client_secret: SECRET },
  });
  assert.equal(rev.status, 200);
  assert.equal((await api(revoked)).status, 401);

  // A token MCIAS issued for another service is inactive for this resource server.
  const foreign = await obtainToken("other-rp", OTHER_REDIRECT);
  assert.equal((await api(foreign)).status, 401);

  assert.equal((await api("not.a.token")).status, 401);
  assert.equal((await api()).status, 401);
});

test("mod_auth_openidc with Chromium: the real browser follows the same redirects and CSP", async () => {
  const browser = await launchBrowser();
  try {
    // The browser leg trusts MCIAS's throwaway CA by ignoring certificate errors; Apache's
    // back channel to MCIAS verifies it for real (OIDCCABundlePath).
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(`${apache.url}/protected/index.shtml`);
    await page.waitForURL(`${m.issuer}/oauth2/authorize?**`);
    await page.fill('input[name="username"]', "erin");
    await page.fill('input[name="password"]', PASSWORD);
    await Promise.all([
      page.waitForURL(`${apache.url}/protected/index.shtml`),
      page.click('button[type="submit"]'),
    ]);
    assert.equal(await page.textContent("#OIDC_CLAIM_preferred_username"), "erin");
  } finally {
    await browser.close();
  }
});
