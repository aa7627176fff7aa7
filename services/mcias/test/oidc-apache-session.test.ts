// MCIAS's browser session seen through two relying parties nobody here wrote: Debian's
// mod_auth_openidc in two Apache instances (on 127.0.0.1 and 127.0.0.2, so Chromium keeps their
// cookies apart), driven by Chromium:
//  - after signing in through RP "intranet", RP "wiki" (which asks with prompt=none) signs the
//    user in without showing any form (OIDC Core §3.1.2.6);
//  - logging out at "wiki" (mod_auth_openidc's ?logout=) goes through MCIAS's
//    end_session_endpoint with id_token_hint and post_logout_redirect_uri, ends the MCIAS browser
//    session and lands on the registered page (OpenID Connect RP-Initiated Logout 1.0);
//    "intranet" then has to show the login form again.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { freePort, launchBrowser } from "@metacircular/testkit";
import { type Apache, startApache } from "./oidc-apache.ts";
import { type OidcMcias, PASSWORD, SECRET, secretSha256, startOidcMcias } from "./oidc-helpers.ts";

let m: OidcMcias;
let intranet: Apache;
let wiki: Apache;

/** mod_auth_openidc in front of /protected for `clientId`; extra directives appended. */
function rpConfig(caPath: string, clientId: string, redirect: string, extra: string[] = []) {
  return [
    `OIDCProviderMetadataURL ${m.issuer}/.well-known/openid-configuration`,
    `OIDCCABundlePath ${caPath}`,
    "OIDCSSLValidateServer On",
    `OIDCClientID ${clientId}`,
    `OIDCClientSecret ${SECRET}`,
    `OIDCRedirectURI ${redirect}`,
    `OIDCCryptoPassphrase ${randomBytes(24).toString("hex")}`,
    'OIDCScope "openid profile"',
    "OIDCPKCEMethod S256",
    "OIDCRemoteUserClaim preferred_username",
    ...extra,
    "<Location /protected>",
    "  AuthType openid-connect",
    "  Require valid-user",
    "</Location>",
  ].join("\n");
}

before(async () => {
  const intranetPort = await freePort();
  const wikiPort = await freePort("127.0.0.2");
  const intranetBase = `http://127.0.0.1:${intranetPort}`;
  const wikiBase = `http://127.0.0.2:${wikiPort}`;
  const client = (id: string, base: string, service: string) =>
    [
      "[[oidc_clients]]",
      `client_id = "${id}"`,
      `client_secret_sha256 = "${secretSha256(SECRET)}"`,
      `redirect_uris = ["${base}/protected/redirect_uri"]`,
      `post_logout_redirect_uris = ["${base}/signed-out.html"]`,
      `service_name = "${service}"`,
    ].join("\n");
  m = await startOidcMcias(
    [client("intranet", intranetBase, "intranet"), client("wiki", wikiBase, "wiki")].join("\n"),
    { tls: true },
  );
  await m.createAccount("kira", { password: PASSWORD, roles: ["user"] });
  const ca = readFileSync(m.caCertPath!, "utf8");
  intranet = await startApache(intranetPort, (put) =>
    rpConfig(put("ca.pem", ca), "intranet", `${intranetBase}/protected/redirect_uri`),
  );
  wiki = await startApache(
    wikiPort,
    (put) =>
      rpConfig(put("ca.pem", ca), "wiki", `${wikiBase}/protected/redirect_uri`, [
        "OIDCAuthRequestParams prompt=none",
      ]),
    "127.0.0.2",
  );
});

after(async () => {
  await wiki?.stop();
  await intranet?.stop();
  await m?.stop();
});

test("Chromium + mod_auth_openidc: prompt=none after a sign-in, then RP-initiated logout", async () => {
  const browser = await launchBrowser();
  try {
    // The browser trusts MCIAS's throwaway CA by ignoring certificate errors; Apache's back
    // channel verifies it for real (OIDCCABundlePath).
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const seen: string[] = [];
    page.on("request", (r) => {
      if (r.isNavigationRequest()) seen.push(r.url());
    });

    await page.goto(`${intranet.url}/protected/index.shtml`);
    await page.waitForURL(`${m.issuer}/oauth2/authorize?**`);
    await page.fill('input[name="username"]', "kira");
    await page.fill('input[name="password"]', PASSWORD);
    await Promise.all([
      page.waitForURL(`${intranet.url}/protected/index.shtml`),
      page.click('button[type="submit"]'),
    ]);
    assert.equal(await page.textContent("#REMOTE_USER"), "kira");

    // The wiki asks with prompt=none: MCIAS answers from its browser session, no form.
    seen.length = 0;
    await page.goto(`${wiki.url}/protected/index.shtml`);
    await page.waitForURL(`${wiki.url}/protected/index.shtml`);
    assert.equal(await page.textContent("#REMOTE_USER"), "kira", wiki.output());
    const silent = seen.find((u) => u.startsWith(`${m.issuer}/oauth2/authorize?`));
    assert.ok(silent, `went through MCIAS: ${seen.join("\n")}`);
    assert.equal(new URL(silent).searchParams.get("prompt"), "none");
    assert.equal(await page.locator("form#login-form").count(), 0);

    // Logout at the wiki: mod_auth_openidc → MCIAS end_session_endpoint → registered page.
    seen.length = 0;
    const back = `${wiki.url}/signed-out.html`;
    await page.goto(`${wiki.url}/protected/redirect_uri?logout=${encodeURIComponent(back)}`);
    await page.waitForURL(back);
    assert.equal(await page.textContent("#signed-out"), "Signed out");
    const endSession = seen.find((u) => u.startsWith(`${m.issuer}/oauth2/logout?`));
    assert.ok(endSession, `went through MCIAS: ${seen.join("\n")}`);
    const q = new URL(endSession).searchParams;
    assert.ok(q.get("id_token_hint"), "mod_auth_openidc sent the ID token as hint");
    assert.equal(q.get("post_logout_redirect_uri"), back);

    // MCIAS's session is gone: the browser lost its cookie and the token is revoked.
    const cookies = await context.cookies();
    assert.equal(cookies.filter((c) => c.name === "mcias_oidc_session").length, 0);
    const audit = (await (
      await m.api("GET", "/v1/audit?event=oidc_logout&subject=kira")
    ).json()) as { events: { detail: { client_id: string; via: string } }[] };
    assert.deepEqual(
      audit.events.map((e) => [e.detail.client_id, e.detail.via]),
      [["wiki", "id_token_hint"]],
    );

    // The intranet's own session (its cookie) is dropped: signing in there needs the form.
    await context.clearCookies({ domain: "127.0.0.1", name: /^mod_auth_openidc/ });
    await page.goto(`${intranet.url}/protected/index.shtml`);
    await page.waitForURL(`${m.issuer}/oauth2/authorize?**`);
    assert.equal(await page.locator("form#login-form").count(), 1);
  } finally {
    await browser.close();
  }
});
