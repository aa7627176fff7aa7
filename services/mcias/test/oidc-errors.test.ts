// The OIDC provider's refusals, against a real mcias process: each with a stable OAuth error,
// redirected to the client only once the client and its exact redirect_uri are verified.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  Browser,
  type OidcMcias,
  PASSWORD,
  pkce,
  postForm,
  SECRET,
  secretSha256,
  signIn,
  startOidcMcias,
} from "./oidc-helpers.ts";

const CB = (name: string) => `http://127.0.0.1:9/${name}/cb`;
let m: OidcMcias;

function client(id: string, service: string, type = "confidential") {
  return [
    "[[oidc_clients]]",
    `client_id = "${id}"`,
    ...(type === "public"
      ? ['type = "public"']
      : [`client_secret_sha256 = "${secretSha256(SECRET)}"`]),
    `redirect_uris = ["${CB(id)}"]`,
    `service_name = "${service}"`,
  ].join("\n");
}

before(async () => {
  m = await startOidcMcias(
    [
      client("conf", "wiki"),
      client("pub", "wiki", "public"),
      client("other", "other"),
      client("locked", "locked"),
    ].join("\n"),
  );
  await m.createAccount("finn", { password: PASSWORD });
  const deny = await m.api("POST", "/v1/policies", {
    priority: 1,
    effect: "deny",
    service_names: ["locked"],
  });
  assert.equal(deny.status, 201, await deny.text());
});
after(() => m?.stop());

function authorizeUrl(q: Record<string, string>): string {
  return `${m.issuer}/oauth2/authorize?${new URLSearchParams(q)}`;
}

function baseQuery(id: string, challenge?: string): Record<string, string> {
  return {
    response_type: "code",
    client_id: id,
    redirect_uri: CB(id),
    scope: "openid profile",
    state: "the-state",
    nonce: "the-nonce",
    ...(challenge ? { code_challenge: challenge, code_challenge_method: "S256" } : {}),
  };
}

/** Signs finn in for `id`; returns the code and the verifier used (if any). */
async function getCode(id: string, withPkce = true) {
  const p = pkce();
  const res = await signIn(
    new Browser(),
    authorizeUrl(baseQuery(id, withPkce ? p.challenge : undefined)),
    "finn",
  );
  assert.equal(res.status, 302, res.text);
  const u = new URL(res.location!);
  assert.equal(u.searchParams.get("state"), "the-state");
  assert.equal(u.searchParams.get("iss"), m.issuer);
  return { code: u.searchParams.get("code")!, verifier: p.verifier };
}

const token = (form: Record<string, string>, basic?: [string, string]) =>
  postForm(`${m.issuer}/oauth2/token`, form, basic);

function exchange(id: string, code: string, verifier?: string, extra: Record<string, string> = {}) {
  return token(
    {
      grant_type: "authorization_code",
      code,
      redirect_uri: CB(id),
      ...(verifier ? { code_verifier: verifier } : {}),
      ...extra,
    },
    id === "pub" ? undefined : [id, SECRET],
  );
}

const introspect = (t: string, as: string) =>
  postForm(`${m.issuer}/oauth2/introspect`, { token: t }, [as, SECRET]);

test("authorize without a verified client and redirect_uri answers JSON 400, never a redirect", async () => {
  for (const [q, want] of [
    [{ ...baseQuery("conf"), redirect_uri: "https://evil.example/cb" }, "invalid_request"],
    [{ ...baseQuery("conf"), redirect_uri: `${CB("conf")}/` }, "invalid_request"],
    [{ ...baseQuery("conf"), redirect_uri: CB("other") }, "invalid_request"],
    [{ ...baseQuery("conf"), client_id: "nobody" }, "invalid_client"],
  ] as const) {
    const res = await fetch(authorizeUrl(q), { redirect: "manual" });
    assert.equal(res.status, 400, JSON.stringify(q));
    assert.equal(res.headers.get("location"), null);
    assert.equal(((await res.json()) as { error: string }).error, want);
  }
});

test("bad requests from a verified client are redirected back with error and state", async () => {
  const { challenge } = pkce();
  const cases: [Record<string, string>, string][] = [
    [{ ...baseQuery("conf"), response_type: "token" }, "unsupported_response_type"],
    [{ ...baseQuery("conf"), scope: "openid email" }, "invalid_scope"],
    [
      { ...baseQuery("conf"), code_challenge: challenge, code_challenge_method: "plain" },
      "invalid_request",
    ],
    [{ ...baseQuery("conf"), prompt: "none" }, "login_required"],
    [{ ...baseQuery("pub", challenge), nonce: "" }, "invalid_request"],
    [baseQuery("pub"), "invalid_request"],
  ];
  for (const [q, want] of cases) {
    const res = await fetch(authorizeUrl(q), { redirect: "manual" });
    assert.equal(res.status, 302, JSON.stringify(q));
    const loc = new URL(res.headers.get("location")!);
    assert.equal(`${loc.origin}${loc.pathname}`, q.redirect_uri);
    assert.equal(loc.searchParams.get("error"), want, JSON.stringify(q));
    assert.equal(loc.searchParams.get("state"), "the-state");
  }
});

test("client authentication: a bad secret or unknown client is 401 invalid_client", async () => {
  const { code, verifier } = await getCode("conf");
  const good = await exchange("conf", code, verifier);
  assert.equal(good.status, 200, "the right secret works");
  for (const basic of [
    ["conf", "wrong-secret"],
    ["nobody", SECRET],
  ] as [string, string][]) {
    const res = await token(
      { grant_type: "authorization_code", code, redirect_uri: CB("conf") },
      basic,
    );
    assert.equal(res.status, 401);
    assert.equal(res.body.error, "invalid_client");
    assert.match(res.headers.get("www-authenticate") ?? "", /^Basic/);
  }
  const post = await token({
    grant_type: "authorization_code",
    code: "x",
    redirect_uri: CB("conf"),
    client_id: "conf",
    client_secret: "nope",
  });
  assert.equal(post.status, 401);
  assert.equal(post.body.error, "invalid_client");
  const unsupported = await token({ grant_type: "password", client_id: "pub" });
  assert.equal(unsupported.body.error, "unsupported_grant_type");
  const json = await fetch(`${m.issuer}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  assert.equal(json.status, 400);
  assert.equal(((await json.json()) as { error: string }).error, "invalid_request");
});

test("code reuse is refused and revokes the token issued from the code", async () => {
  const { code, verifier } = await getCode("conf");
  const first = await exchange("conf", code, verifier);
  assert.equal(first.status, 200);
  const access = first.body.access_token as string;
  assert.equal((await introspect(access, "conf")).body.active, true);
  const again = await exchange("conf", code, verifier);
  assert.equal(again.status, 400);
  assert.equal(again.body.error, "invalid_grant");
  assert.equal((await introspect(access, "conf")).body.active, false);
});

test("PKCE: a wrong verifier, or a verifier without a challenge, is invalid_grant", async () => {
  const a = await getCode("pub");
  const wrong = await exchange("pub", a.code, pkce().verifier, { client_id: "pub" });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.error, "invalid_grant");
  const burnt = await exchange("pub", a.code, a.verifier, { client_id: "pub" });
  assert.equal(burnt.body.error, "invalid_grant", "a failed attempt consumes the code");

  const b = await getCode("conf", false);
  const stray = await exchange("conf", b.code, pkce().verifier);
  assert.equal(stray.body.error, "invalid_grant");
  const c = await getCode("conf", false);
  assert.equal((await exchange("conf", c.code)).status, 200, "confidential clients may skip PKCE");
});

test("introspection: another service's token is inactive; public clients may not introspect", async () => {
  const { code, verifier } = await getCode("conf");
  const access = (await exchange("conf", code, verifier)).body.access_token as string;
  assert.equal((await introspect(access, "conf")).body.active, true);
  assert.deepEqual((await introspect(access, "other")).body, { active: false });
  const pub = await postForm(`${m.issuer}/oauth2/introspect`, { token: access, client_id: "pub" });
  assert.equal(pub.status, 401);
  assert.equal(pub.body.error, "invalid_client");
  // Another client cannot revoke it either (RFC 7009 §2.1: refused, nothing happens).
  const rev = await postForm(`${m.issuer}/oauth2/revoke`, { token: access }, ["other", SECRET]);
  assert.equal(rev.status, 400);
  assert.equal(rev.body.error, "unauthorized_client");
  assert.equal((await introspect(access, "conf")).body.active, true);
});

test("userinfo: Bearer header or form token; plain OAuth (no openid) gets no ID token and no userinfo", async () => {
  const a = await getCode("conf");
  const oidcToken = (await exchange("conf", a.code, a.verifier)).body.access_token as string;
  const viaForm = await postForm(`${m.issuer}/oauth2/userinfo`, { access_token: oidcToken });
  assert.equal(viaForm.status, 200);
  assert.equal(viaForm.body.preferred_username, "finn");

  const p = pkce();
  const q = { ...baseQuery("conf", p.challenge), scope: "profile" };
  const res = await signIn(new Browser(), authorizeUrl(q), "finn");
  const code = new URL(res.location!).searchParams.get("code")!;
  const plain = await exchange("conf", code, p.verifier);
  assert.equal(plain.status, 200);
  assert.equal(plain.body.id_token, undefined);
  assert.equal(plain.body.scope, "profile");
  const info = await fetch(`${m.issuer}/oauth2/userinfo`, {
    headers: { authorization: `Bearer ${plain.body.access_token as string}` },
  });
  assert.equal(info.status, 403);
  assert.equal(((await info.json()) as { error: string }).error, "insufficient_scope");
});

test("userinfo needs an OAuth access token", async () => {
  const none = await fetch(`${m.issuer}/oauth2/userinfo`);
  assert.equal(none.status, 401);
  assert.match(none.headers.get("www-authenticate") ?? "", /^Bearer .*invalid_token/);
  const plain = await fetch(`${m.issuer}/oauth2/userinfo`, {
    headers: { authorization: `Bearer ${m.adminToken}` },
  });
  assert.equal(plain.status, 401, "a plain MCIAS login token is not an OAuth grant");
});

test("the login policy of the client's service applies: denied users stay on the form", async () => {
  const res = await signIn(new Browser(), authorizeUrl(baseQuery("locked")), "finn");
  assert.equal(res.status, 403);
  assert.equal(res.location, undefined);
  assert.match(res.text, /not permitted to sign in/);
  const audit = (await (
    await m.api("GET", "/v1/audit?event=policy_decision&subject=finn")
  ).json()) as { events: { outcome: string; detail: { service: string } }[] };
  assert.ok(audit.events.some((e) => e.outcome === "denied" && e.detail.service === "locked"));
});
