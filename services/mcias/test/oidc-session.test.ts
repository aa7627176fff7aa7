// The OIDC provider's browser session at MCIAS, against a real mcias process: single sign-on
// and prompt=none after a sign-in (OIDC Core §3.1.2.1/§3.1.2.6), prompt=login and max_age,
// the login policy on every silent sign-in, and RP-initiated logout (end_session_endpoint,
// id_token_hint, registered post_logout_redirect_uris, state).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  Browser,
  type HttpResponse,
  type OidcMcias,
  PASSWORD,
  postForm,
  SECRET,
  secretSha256,
  signIn,
  startOidcMcias,
} from "./oidc-helpers.ts";

const CB = (name: string) => `http://127.0.0.1:9/${name}/cb`;
const BYE = (name: string) => `http://127.0.0.1:9/${name}/signed-out`;
let m: OidcMcias;

function client(id: string, service: string) {
  return [
    "[[oidc_clients]]",
    `client_id = "${id}"`,
    `client_secret_sha256 = "${secretSha256(SECRET)}"`,
    `redirect_uris = ["${CB(id)}"]`,
    `post_logout_redirect_uris = ["${BYE(id)}"]`,
    `service_name = "${service}"`,
  ].join("\n");
}

before(async () => {
  m = await startOidcMcias(
    [client("wiki", "wiki"), client("chat", "chat"), client("vault", "vault")].join("\n"),
  );
  for (const name of ["ines", "jules"]) await m.createAccount(name, { password: PASSWORD });
  const deny = await m.api("POST", "/v1/policies", {
    priority: 1,
    effect: "deny",
    service_names: ["vault"],
  });
  assert.equal(deny.status, 201);
});
after(() => m?.stop());

function authorizeUrl(id: string, extra: Record<string, string> = {}) {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: id,
    redirect_uri: CB(id),
    scope: "openid profile",
    state: `state-${id}`,
    nonce: "n",
    ...extra,
  });
  return `${m.issuer}/oauth2/authorize?${q}`;
}

/** The redirect's query parameters (asserting it went to `to`). */
function landed(res: HttpResponse, to: string): URLSearchParams {
  assert.equal(res.status, 302, res.text);
  const u = new URL(res.location!);
  assert.equal(`${u.origin}${u.pathname}`, to);
  return u.searchParams;
}

async function tokens(id: string, code: string) {
  const res = await postForm(
    `${m.issuer}/oauth2/token`,
    { grant_type: "authorization_code", code, redirect_uri: CB(id) },
    [id, SECRET],
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const idToken = res.body.id_token as string;
  const claims = JSON.parse(Buffer.from(idToken.split(".")[1]!, "base64url").toString()) as {
    sub: string;
    auth_time: number;
    preferred_username: string;
  };
  return { idToken, claims };
}

/** A browser signed in at MCIAS through `wiki`; returns it and the ID token it got. */
async function signedIn(username = "ines") {
  const b = new Browser();
  const code = landed(await signIn(b, authorizeUrl("wiki"), username), CB("wiki")).get("code")!;
  return { b, ...(await tokens("wiki", code)) };
}

const silent = (b: Browser, id: string, extra: Record<string, string> = {}) =>
  b.request(authorizeUrl(id, { prompt: "none", ...extra }));

test("discovery publishes the end_session_endpoint", async () => {
  const md = (await (await fetch(`${m.issuer}/.well-known/openid-configuration`)).json()) as {
    end_session_endpoint: string;
  };
  assert.equal(md.end_session_endpoint, `${m.issuer}/oauth2/logout`);
});

test("prompt=none: login_required without a session, a code after a sign-in (any client)", async () => {
  const fresh = landed(await silent(new Browser(), "wiki"), CB("wiki"));
  assert.equal(fresh.get("error"), "login_required");
  assert.equal(fresh.get("state"), "state-wiki");

  const { b, claims } = await signedIn();
  for (const id of ["wiki", "chat"]) {
    const q = landed(await silent(b, id), CB(id));
    assert.equal(q.get("error"), null, q.toString());
    assert.equal(q.get("state"), `state-${id}`);
    assert.equal(q.get("iss"), m.issuer);
    const again = await tokens(id, q.get("code")!);
    assert.equal(again.claims.sub, claims.sub);
    assert.equal(again.claims.preferred_username, "ines");
    assert.equal(again.claims.auth_time, claims.auth_time, "auth_time is the real sign-in");
  }
  // Without prompt the session signs in silently too (single sign-on).
  assert.ok(landed(await b.request(authorizeUrl("chat")), CB("chat")).get("code"));
});

test("prompt=login and an exceeded max_age show the form despite the session", async () => {
  const { b } = await signedIn();
  const forced = await b.request(authorizeUrl("wiki", { prompt: "login" }));
  assert.equal(forced.status, 200);
  assert.match(forced.text, /<form method="post"/);
  await new Promise((r) => setTimeout(r, 1100));
  const old = await b.request(authorizeUrl("wiki", { max_age: "0" }));
  assert.equal(old.status, 200);
  const none = landed(await silent(b, "wiki", { max_age: "0" }), CB("wiki"));
  assert.equal(none.get("error"), "login_required");
  assert.ok(landed(await silent(b, "wiki", { max_age: "3600" }), CB("wiki")).get("code"));
});

test("the login policy of each client's service applies to silent sign-in", async () => {
  const { b } = await signedIn();
  const denied = landed(await silent(b, "vault"), CB("vault"));
  assert.equal(denied.get("error"), "access_denied");
  const form = await b.request(authorizeUrl("vault"));
  assert.equal(form.status, 403);
  assert.match(form.text, /not permitted to sign in/);
});

test("disabling the account ends its browser session", async () => {
  const { b } = await signedIn("jules");
  assert.equal((await m.api("POST", "/v1/accounts/jules/disable")).status, 200);
  assert.equal(landed(await silent(b, "wiki"), CB("wiki")).get("error"), "login_required");
  assert.equal((await m.api("POST", "/v1/accounts/jules/enable")).status, 200);
  assert.equal(landed(await silent(b, "wiki"), CB("wiki")).get("error"), "login_required");
});

test("RP-initiated logout with id_token_hint: session ended, back to the client with state", async () => {
  const { b, idToken } = await signedIn();
  const q = new URLSearchParams({
    id_token_hint: idToken,
    post_logout_redirect_uri: BYE("wiki"),
    state: "bye-state",
  });
  const out = landed(await b.request(`${m.issuer}/oauth2/logout?${q}`), BYE("wiki"));
  assert.equal(out.get("state"), "bye-state");
  assert.equal(landed(await silent(b, "chat"), CB("chat")).get("error"), "login_required");
  const audit = (await (await m.api("GET", "/v1/audit?event=oidc_logout&subject=ines")).json()) as {
    events: { detail: { client_id: string; via: string } }[];
  };
  assert.ok(
    audit.events.some((e) => e.detail.client_id === "wiki" && e.detail.via === "id_token_hint"),
  );
});

test("logout refuses unregistered or foreign post_logout_redirect_uris and bad hints", async () => {
  const { b, idToken } = await signedIn();
  const bad: Record<string, string>[] = [
    { id_token_hint: idToken, post_logout_redirect_uri: "https://evil.example/" },
    { id_token_hint: idToken, post_logout_redirect_uri: BYE("chat") },
    { post_logout_redirect_uri: BYE("wiki") },
    { id_token_hint: `${idToken.slice(0, -4)}AAAA` },
    { id_token_hint: idToken, client_id: "chat" },
    { client_id: "nobody" },
  ];
  for (const params of bad) {
    const res = await b.request(`${m.issuer}/oauth2/logout?${new URLSearchParams(params)}`);
    assert.equal(res.status, 400, JSON.stringify(params));
    assert.equal(res.location, undefined);
  }
  const twice = `id_token_hint=${idToken}&state=a&state=b`;
  assert.equal((await b.request(`${m.issuer}/oauth2/logout?${twice}`)).status, 400);
  assert.ok(landed(await silent(b, "wiki"), CB("wiki")).get("code"), "still signed in");
});

test("logout without a hint asks first; the confirmation (POST + CSRF) ends the session", async () => {
  const { b } = await signedIn();
  const q = new URLSearchParams({
    client_id: "chat",
    post_logout_redirect_uri: BYE("chat"),
    state: "s2",
  });
  const ask = await b.request(`${m.issuer}/oauth2/logout?${q}`);
  assert.equal(ask.status, 200);
  assert.match(ask.text, /Sign out of MCIAS\?/);
  assert.ok(landed(await silent(b, "wiki"), CB("wiki")).get("code"), "not yet signed out");
  const fields: Record<string, string> = {};
  for (const x of ask.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[x[1]!] = x[2]!.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
  const forged = await b.request(`${m.issuer}/oauth2/logout`, {
    form: { ...fields, _csrf: "forged" },
  });
  assert.equal(forged.status, 200, "a forged confirmation only asks again");
  const done = landed(await b.request(`${m.issuer}/oauth2/logout`, { form: fields }), BYE("chat"));
  assert.equal(done.get("state"), "s2");
  assert.equal(landed(await silent(b, "wiki"), CB("wiki")).get("error"), "login_required");
  // Nothing left to end: straight back to the client.
  landed(await b.request(`${m.issuer}/oauth2/logout?${q}`), BYE("chat"));
  const page = await b.request(`${m.issuer}/oauth2/logout`);
  assert.equal(page.status, 200);
  assert.match(page.text, /signed out/);
});
