// SSO authorization-code flow against a real mcias process over plain HTTP.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { json, type MciasInstance, startMcias } from "./helpers.ts";

const REDIRECT = "http://127.0.0.1:9/sso/callback";
const OTHER_REDIRECT = "http://127.0.0.1:9/other/callback";
let m: MciasInstance;

before(async () => {
  m = await startMcias({
    extraToml: [
      "[[sso_clients]]",
      'client_id = "mcns-web"',
      `redirect_uri = "${REDIRECT}"`,
      'service_name = "mcns"',
      "[[sso_clients]]",
      'client_id = "other-web"',
      `redirect_uri = "${OTHER_REDIRECT}"`,
      'service_name = "other"',
      "[policy]",
      'default = "allow"',
    ].join("\n"),
  });
  await m.createAccount("alice", { password: "alice-password-123" });
});
after(() => m?.stop());

function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  return { verifier, challenge };
}

function authorizeUrl(q: Record<string, string>): string {
  return `${m.url}/sso/authorize?${new URLSearchParams(q)}`;
}

/** GET the form, POST alice's credentials; returns the redirect Location. */
async function obtainCode(clientId = "mcns-web", redirectUri = REDIRECT) {
  const { verifier, challenge } = pkce();
  const state = randomBytes(16).toString("base64url");
  const q = {
    client_id: clientId,
    redirect_uri: redirectUri,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  };
  const page = await fetch(authorizeUrl(q));
  assert.equal(page.status, 200);
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(csrf, "form carries a CSRF token");
  const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0]!;
  const res = await fetch(`${m.url}/sso/authorize`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({
      ...q,
      _csrf: csrf,
      username: "alice",
      password: "alice-password-123",
    }),
  });
  assert.equal(res.status, 302, await res.clone().text());
  const loc = new URL(res.headers.get("location") ?? "");
  assert.equal(`${loc.origin}${loc.pathname}`, redirectUri);
  assert.equal(loc.searchParams.get("state"), state);
  return { code: loc.searchParams.get("code") ?? "", verifier, q, cookie, csrf };
}

function exchange(body: Record<string, string>) {
  return fetch(`${m.url}/v1/sso/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function errorCode(res: Response): Promise<string> {
  return (await json<{ error: { code: string } }>(res)).error.code;
}

test("full flow: form, credentials, code, exchange, token validates for the service", async () => {
  const { code, verifier } = await obtainCode();
  assert.ok(code.length >= 43);
  const res = await exchange({
    client_id: "mcns-web",
    code,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  });
  assert.equal(res.status, 200);
  const t = await json<{ token: string; expires_at: string }>(res);
  assert.ok(Date.parse(t.expires_at) > Date.now());
  const v = await json(
    await m.api("POST", "/v1/token/validate", { token: t.token, service_name: "mcns" }),
  );
  assert.equal(v.valid, true);
  assert.equal(v.username, "alice");
  assert.equal(v.audience, "mcns");

  const reuse = await exchange({
    client_id: "mcns-web",
    code,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  });
  assert.equal(reuse.status, 400);
  assert.equal(await errorCode(reuse), "invalid_grant");
});

test("wrong redirect_uri, verifier or client at the token endpoint is refused and burns the code", async () => {
  const cases: [Record<string, string>, string][] = [
    [{ redirect_uri: OTHER_REDIRECT }, "invalid_grant"],
    [{ code_verifier: pkce().verifier }, "invalid_grant"],
    [{ client_id: "other-web" }, "invalid_grant"],
    [{ client_id: "nobody" }, "invalid_client"],
  ];
  for (const [override, want] of cases) {
    const { code, verifier } = await obtainCode();
    const base = { client_id: "mcns-web", code, redirect_uri: REDIRECT, code_verifier: verifier };
    const bad = await exchange({ ...base, ...override });
    assert.equal(bad.status, 400, JSON.stringify(override));
    assert.equal(await errorCode(bad), want, JSON.stringify(override));
    if (want === "invalid_grant") {
      const retry = await exchange(base);
      assert.equal(retry.status, 400, "a code is single-use even after a failed attempt");
    }
  }
});

test("authorize refuses unregistered clients and redirect URIs with JSON, never redirecting", async () => {
  const { challenge } = pkce();
  const q = {
    client_id: "mcns-web",
    redirect_uri: REDIRECT,
    state: "s",
    code_challenge: challenge,
    code_challenge_method: "S256",
  };
  for (const [override, want] of [
    [{ redirect_uri: "https://evil.example/cb" }, "invalid_redirect_uri"],
    [{ redirect_uri: `${REDIRECT}/` }, "invalid_redirect_uri"],
    [{ redirect_uri: OTHER_REDIRECT }, "invalid_redirect_uri"],
    [{ client_id: "nobody" }, "invalid_client"],
    [{ code_challenge_method: "plain" }, "invalid_request"],
  ] as const) {
    const res = await fetch(authorizeUrl({ ...q, ...override }), { redirect: "manual" });
    assert.equal(res.status, 400, JSON.stringify(override));
    assert.equal(res.headers.get("location"), null);
    assert.equal(await errorCode(res), want);
  }
});

test("POST authorize: CSRF required, wrong password re-renders the form, redirect_uri re-checked", async () => {
  const { q, cookie, csrf } = await obtainCode();
  const post = (fields: Record<string, string>, withCookie = true) =>
    fetch(`${m.url}/sso/authorize`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(withCookie ? { cookie } : {}),
      },
      body: new URLSearchParams({ ...q, _csrf: csrf, username: "alice", ...fields }),
    });
  const noCsrf = await post({ password: "alice-password-123" }, false);
  assert.equal(noCsrf.status, 403);
  assert.equal(await errorCode(noCsrf), "csrf_invalid");

  const wrong = await post({ password: "not-the-password" });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers.get("location"), null);
  assert.match(await wrong.text(), /Invalid username or password/);

  const evil = await post({
    password: "alice-password-123",
    redirect_uri: "https://evil.example/",
  });
  assert.equal(evil.status, 400);
  assert.equal(evil.headers.get("location"), null);
  assert.equal(await errorCode(evil), "invalid_redirect_uri");
});

test("admins list the SSO clients over REST and with mciasctl; others may not", async () => {
  const r = await m.api("GET", "/v1/sso/clients");
  assert.equal(r.status, 200);
  const { clients } = await json<{ clients: { client_id: string; redirect_uri: string }[] }>(r);
  assert.deepEqual(
    clients.map((x) => [x.client_id, x.redirect_uri]),
    [
      ["mcns-web", REDIRECT],
      ["other-web", OTHER_REDIRECT],
    ],
  );
  const login = await m.api("POST", "/v1/auth/login", {
    username: "alice",
    password: "alice-password-123",
  });
  const { token } = await json<{ token: string }>(login);
  assert.equal((await m.api("GET", "/v1/sso/clients", undefined, token)).status, 403);

  const ctl = resolve(import.meta.dirname, "../src/cmd/mciasctl.ts");
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", ctl, "--server", m.url, "sso", "list"],
    { env: { ...process.env, MCIAS_TOKEN: m.adminToken } },
  );
  assert.match(stdout, /mcns-web\s+mcns\s+http:\/\/127\.0\.0\.1:9\/sso\/callback/);
});
