// Passkeys in a real browser: Debian Chromium with Chrome's virtual authenticator (CDP
// WebAuthn domain: CTAP2, resident keys, user verification). The page registers a passkey
// through /static/webauthn.js and the REST API, then signs in at /sso/authorize of a
// registered SSO client with ONLY the passkey button (no username, no password), and the
// authorization code it is redirected with redeems for a valid token.
// WebAuthn needs a secure context: http://localhost is one, so MCIAS is reached as localhost
// on a port chosen up front ($PORT) and [webauthn] names that exact origin.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import {
  addVirtualAuthenticator,
  freePort,
  launchBrowser,
  type MciasInstance,
  startMcias,
} from "@metacircular/testkit";

let m: MciasInstance;
let callback: Server;
let origin: string;
let redirectUri: string;

before(async () => {
  callback = createServer((_req, res) => res.end("signed in"));
  await new Promise<void>((r) => callback.listen(0, "127.0.0.1", r));
  redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/sso/callback`;
  const port = await freePort();
  origin = `http://localhost:${port}`;
  m = await startMcias({
    env: { PORT: `127.0.0.1:${port}` },
    extraToml: [
      "[webauthn]",
      'rp_id = "localhost"',
      `origins = ["${origin}"]`,
      "[[sso_clients]]",
      'client_id = "demo-web"',
      `redirect_uri = "${redirectUri}"`,
      'service_name = "demo"',
      "[policy]",
      'default = "allow"',
    ].join("\n"),
  });
  await m.createAccount("grace", { password: "grace-password-123" });
});

after(async () => {
  await new Promise<void>((r) => callback?.close(() => r()));
  await m?.stop();
});

function authorizeUrl(challenge: string, state: string): string {
  const q = new URLSearchParams({
    client_id: "demo-web",
    redirect_uri: redirectUri,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  return `${origin}/sso/authorize?${q}`;
}

test("register a passkey in Chromium, then sign in through SSO with only the passkey", async () => {
  const login = await m.api("POST", "/v1/auth/login", {
    username: "grace",
    password: "grace-password-123",
  });
  const { token } = (await login.json()) as { token: string };

  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const { cdp, authenticatorId } = await addVirtualAuthenticator(page);

    // Registration, driven from an MCIAS page that loads /static/webauthn.js.
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    await page.goto(authorizeUrl(challenge, "first"));
    const registered = await page.evaluate(async (bearer) => {
      const headers = { authorization: `Bearer ${bearer}`, "content-type": "application/json" };
      const begin = (await (
        await fetch("/v1/auth/passkeys/register/begin", { method: "POST", headers })
      ).json()) as { challenge_id: string; options: unknown };
      // biome-ignore lint/suspicious/noExplicitAny: the browser global defined by webauthn.js
      const response = await (globalThis as any).mciasPasskey.create(begin.options);
      const res = await fetch("/v1/auth/passkeys/register/finish", {
        method: "POST",
        headers,
        body: JSON.stringify({ challenge_id: begin.challenge_id, response, name: "chromium" }),
      });
      return { status: res.status, body: (await res.json()) as { name?: string } };
    }, token);
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    assert.equal(registered.body.name, "chromium");
    const creds = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.equal(creds.credentials.length, 1);
    assert.equal(creds.credentials[0]?.isResidentCredential, true, "a discoverable credential");

    // Sign in: a fresh authorize request, the passkey button, nothing typed.
    await page.goto(authorizeUrl(challenge, "second"));
    assert.equal(await page.inputValue('input[name="username"]'), "");
    await page.waitForSelector("#passkey-sign-in", { state: "visible" });
    await Promise.all([page.waitForURL(`${redirectUri}?**`), page.click("#passkey-sign-in")]);
    const landed = new URL(page.url());
    assert.equal(landed.searchParams.get("state"), "second");
    const code = landed.searchParams.get("code") ?? "";

    const exchanged = await fetch(`${m.url}/v1/sso/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_id: "demo-web",
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    });
    assert.equal(exchanged.status, 200);
    const t = (await exchanged.json()) as { token: string };
    const v = (await (
      await m.api("POST", "/v1/token/validate", { token: t.token, service_name: "demo" })
    ).json()) as { valid: boolean; username: string; audience: string };
    assert.deepEqual([v.valid, v.username, v.audience], [true, "grace", "demo"]);

    const audit = (await (
      await m.api("GET", "/v1/audit?event=login_success&subject=grace")
    ).json()) as { events: { detail: { method: string; service: string } }[] };
    assert.ok(
      audit.events.some((e) => e.detail.method === "passkey" && e.detail.service === "demo"),
    );
  } finally {
    await browser.close();
  }
});
