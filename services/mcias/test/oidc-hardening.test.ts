// Regressions from the independent review of the OIDC provider (issue #11, items 5 and 7),
// against a real mcias process:
//  - a refused refresh does not consume the refresh token, so the client's correct retry is
//    not mistaken for reuse (which revokes the whole grant);
//  - PKCE code_verifier syntax (RFC 7636 §4.1), repeated parameters (RFC 6749 §3.1), a missing
//    response_type, and revoking another client's token (RFC 7009 §2.1).
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import {
  Browser,
  type OidcMcias,
  PASSWORD,
  parseForm,
  pkce,
  postForm,
  SECRET,
  secretSha256,
  signIn,
  startOidcMcias,
} from "./oidc-helpers.ts";

const CB = (name: string) => `http://127.0.0.1:9/${name}/cb`;
let m: OidcMcias;

function client(id: string, service: string) {
  return [
    "[[oidc_clients]]",
    `client_id = "${id}"`,
    `client_secret_sha256 = "${secretSha256(SECRET)}"`,
    `redirect_uris = ["${CB(id)}"]`,
    `service_name = "${service}"`,
  ].join("\n");
}

before(async () => {
  m = await startOidcMcias([client("conf", "wiki"), client("other", "other")].join("\n"));
  await m.createAccount("gale", { password: PASSWORD });
});
after(() => m?.stop());

const authorizeUrl = (q: Record<string, string> | URLSearchParams) =>
  `${m.issuer}/oauth2/authorize?${new URLSearchParams(q)}`;

const query = (id: string, scope: string, challenge?: string): Record<string, string> => ({
  response_type: "code",
  client_id: id,
  redirect_uri: CB(id),
  scope,
  state: "st",
  nonce: "nn",
  ...(challenge ? { code_challenge: challenge, code_challenge_method: "S256" } : {}),
});

async function code(id: string, scope: string, challenge?: string): Promise<string> {
  const res = await signIn(new Browser(), authorizeUrl(query(id, scope, challenge)), "gale");
  assert.equal(res.status, 302, res.text);
  return new URL(res.location!).searchParams.get("code")!;
}

const token = (form: Record<string, string>, id = "conf") =>
  postForm(`${m.issuer}/oauth2/token`, form, [id, SECRET]);
const introspect = (t: string, as = "conf") =>
  postForm(`${m.issuer}/oauth2/introspect`, { token: t }, [as, SECRET]);

async function grant(id = "conf", scope = "openid offline_access") {
  const c = await code(id, scope);
  const res = await token({ grant_type: "authorization_code", code: c, redirect_uri: CB(id) }, id);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as { access_token: string; refresh_token: string; scope: string };
}

/** Posts raw form text (to repeat a parameter) with client_secret_basic. */
async function rawForm(path: string, body: string, id = "conf") {
  const res = await fetch(`${m.issuer}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${id}:${SECRET}`).toString("base64")}`,
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

test("refresh refused with invalid_scope leaves the token usable; the retry is not reuse", async () => {
  const g = await grant();
  const wider = await token({
    grant_type: "refresh_token",
    refresh_token: g.refresh_token,
    scope: "openid offline_access profile",
  });
  assert.equal(wider.status, 400);
  assert.equal(wider.body.error, "invalid_scope");
  const retry = await token({ grant_type: "refresh_token", refresh_token: g.refresh_token });
  assert.equal(retry.status, 200, JSON.stringify(retry.body));
  assert.equal((await introspect(g.access_token)).body.active, true, "the grant lives on");
  // The rotated token is spent now: presenting it again is reuse and ends the grant.
  const reuse = await token({ grant_type: "refresh_token", refresh_token: g.refresh_token });
  assert.equal(reuse.body.error, "invalid_grant");
  assert.equal((await introspect(retry.body.access_token as string)).body.active, false);
});

test("refresh refused while the account is disabled works again once it is enabled", async () => {
  await m.createAccount("hugo", { password: PASSWORD });
  const c = await (async () => {
    const res = await signIn(
      new Browser(),
      authorizeUrl(query("conf", "openid offline_access")),
      "hugo",
    );
    return new URL(res.location!).searchParams.get("code")!;
  })();
  const g = (await token({ grant_type: "authorization_code", code: c, redirect_uri: CB("conf") }))
    .body as { refresh_token: string };
  assert.equal((await m.api("POST", "/v1/accounts/hugo/disable")).status, 200);
  const refused = await token({ grant_type: "refresh_token", refresh_token: g.refresh_token });
  assert.equal(refused.body.error, "invalid_grant");
  assert.equal((await m.api("POST", "/v1/accounts/hugo/enable")).status, 200);
  const retry = await token({ grant_type: "refresh_token", refresh_token: g.refresh_token });
  assert.equal(retry.status, 200, JSON.stringify(retry.body));
});

test("a narrowed refresh narrows the access token only; the new refresh token keeps the grant", async () => {
  const g = await grant("conf", "openid profile offline_access");
  const narrow = await token({
    grant_type: "refresh_token",
    refresh_token: g.refresh_token,
    scope: "openid",
  });
  assert.equal(narrow.status, 200, JSON.stringify(narrow.body));
  assert.equal(narrow.body.scope, "openid");
  assert.ok(narrow.body.refresh_token, "RFC 6749 §6: the refresh token keeps the grant's scope");
  const full = await token({
    grant_type: "refresh_token",
    refresh_token: narrow.body.refresh_token as string,
  });
  assert.equal(full.body.scope, "openid profile offline_access");
});

test("PKCE: code_verifier must be 43-128 unreserved characters (RFC 7636 §4.1)", async () => {
  const challengeOf = (v: string) => createHash("sha256").update(v).digest("base64url");
  const unreserved = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";
  const pick = (n: number) =>
    [...randomBytes(n)].map((b) => unreserved[b % unreserved.length]).join("");
  const exchange = async (verifier: string) => {
    const c = await code("conf", "openid", challengeOf(verifier));
    return token({
      grant_type: "authorization_code",
      code: c,
      redirect_uri: CB("conf"),
      code_verifier: verifier,
    });
  };
  for (const bad of [pick(42), pick(129), `${pick(42)}+`, `${pick(42)}/`, `${pick(42)} `]) {
    const res = await exchange(bad);
    assert.equal(res.status, 400, `verifier of ${bad.length} chars: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error, "invalid_grant");
  }
  for (const good of [pick(43), pick(128)])
    assert.equal((await exchange(good)).status, 200, `verifier of ${good.length} chars`);
});

test("authorize: repeated parameters and a missing response_type are invalid_request", async () => {
  const redirected = async (q: URLSearchParams) => {
    const res = await fetch(authorizeUrl(q), { redirect: "manual" });
    assert.equal(res.status, 302, `${q}: ${res.status}`);
    return new URL(res.headers.get("location")!);
  };
  for (const name of ["scope", "response_type", "code_challenge", "nonce", "prompt"]) {
    const q = new URLSearchParams(query("conf", "openid", pkce().challenge));
    if (!q.has(name)) q.append(name, "login");
    q.append(name, q.get(name)!);
    const loc = await redirected(q);
    assert.equal(loc.searchParams.get("error"), "invalid_request", name);
    assert.equal(loc.searchParams.get("state"), "st");
  }
  const twoStates = new URLSearchParams(query("conf", "openid"));
  twoStates.append("state", "other");
  const loc = await redirected(twoStates);
  assert.equal(loc.searchParams.get("error"), "invalid_request");
  assert.equal(loc.searchParams.get("state"), null, "which state would it be?");

  for (const name of ["client_id", "redirect_uri"]) {
    const q = new URLSearchParams(query("conf", "openid"));
    q.append(name, q.get(name)!);
    const res = await fetch(authorizeUrl(q), { redirect: "manual" });
    assert.equal(res.status, 400, name);
    assert.equal(res.headers.get("location"), null);
    assert.equal(((await res.json()) as { error: string }).error, "invalid_request");
  }

  const noType = query("conf", "openid");
  delete (noType as Partial<typeof noType>).response_type;
  const missing = await redirected(new URLSearchParams(noType));
  assert.equal(missing.searchParams.get("error"), "invalid_request");

  // The login form's POST is held to the same rule.
  const b = new Browser();
  const page = await b.request(authorizeUrl(query("conf", "openid")));
  const { fields } = parseForm(page.text);
  const body = new URLSearchParams({ ...fields, username: "gale", password: PASSWORD });
  body.append("scope", "openid profile");
  const post = await b.request(`${m.issuer}/oauth2/authorize`, {
    form: Object.fromEntries(body),
  });
  assert.equal(post.status, 302, "sanity: a plain form posts fine");
  const dup = await fetch(`${m.issuer}/oauth2/authorize`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
  assert.equal(dup.status, 302);
  assert.equal(new URL(dup.headers.get("location")!).searchParams.get("error"), "invalid_request");
});

test("token, introspection and revocation refuse repeated parameters", async () => {
  const g = await grant();
  const c = await code("conf", "openid");
  const cases: [string, string][] = [
    [
      "/oauth2/token",
      `grant_type=authorization_code&grant_type=refresh_token&code=${c}&redirect_uri=${encodeURIComponent(CB("conf"))}`,
    ],
    [
      "/oauth2/token",
      `grant_type=refresh_token&refresh_token=${g.refresh_token}&refresh_token=${g.refresh_token}`,
    ],
    ["/oauth2/introspect", `token=${g.access_token}&token=x`],
    ["/oauth2/revoke", `token=x&token=${g.access_token}`],
  ];
  for (const [path, body] of cases) {
    const res = await rawForm(path, body);
    assert.equal(res.status, 400, `${path} ${body}`);
    assert.equal(res.body.error, "invalid_request", path);
  }
  assert.equal((await introspect(g.access_token)).body.active, true, "nothing was revoked");
  const again = await token({ grant_type: "refresh_token", refresh_token: g.refresh_token });
  assert.equal(again.status, 200, "the refused requests did not spend the refresh token");
});

test("revoking another client's token is unauthorized_client and changes nothing", async () => {
  const g = await grant("conf");
  for (const t of [g.access_token, g.refresh_token]) {
    const res = await postForm(`${m.issuer}/oauth2/revoke`, { token: t }, ["other", SECRET]);
    assert.equal(res.status, 400);
    assert.equal(res.body.error, "unauthorized_client");
  }
  assert.equal((await introspect(g.access_token)).body.active, true);
  assert.equal((await introspect(g.refresh_token)).body.active, true);
  // Its own client may; unknown tokens stay a quiet 200 (RFC 7009 §2.2).
  const own = await postForm(`${m.issuer}/oauth2/revoke`, { token: g.refresh_token }, [
    "conf",
    SECRET,
  ]);
  assert.equal(own.status, 200);
  assert.equal((await introspect(g.access_token)).body.active, false);
  const unknown = await postForm(`${m.issuer}/oauth2/revoke`, { token: "nope" }, ["other", SECRET]);
  assert.equal(unknown.status, 200);
});
