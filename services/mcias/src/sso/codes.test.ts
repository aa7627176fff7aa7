import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { CODE_TTL_MS, CodeStore, SsoCodeStore, s256 } from "./codes.ts";

function setup() {
  let now = 1_000_000;
  const store = new SsoCodeStore(() => now);
  const verifier = randomBytes(32).toString("base64url");
  const grant = {
    clientId: "c1",
    redirectUri: "https://svc.example/sso/callback",
    codeChallenge: s256(verifier),
    token: "tok",
    tokenExpiresAt: now + 3_600_000,
  };
  const code = store.issue(grant);
  const exchange = { clientId: "c1", code, redirectUri: grant.redirectUri, codeVerifier: verifier };
  return { store, exchange, advance: (ms: number) => (now += ms) };
}

const grantError = (code: string) => (e: unknown) => (e as { code?: string }).code === code;

test("a code redeems once for its token", () => {
  const { store, exchange } = setup();
  assert.equal(store.redeem(exchange).token, "tok");
  assert.throws(() => store.redeem(exchange), grantError("invalid_grant"));
});

test("a code expires after 60 s", () => {
  const { store, exchange, advance } = setup();
  advance(CODE_TTL_MS);
  assert.throws(() => store.redeem(exchange), grantError("invalid_grant"));
});

test("wrong client, redirect URI or verifier is refused and consumes the code", () => {
  for (const bad of [
    { clientId: "c2" },
    { redirectUri: "https://svc.example/sso/callback/" },
    { codeVerifier: randomBytes(32).toString("base64url") },
  ]) {
    const { store, exchange } = setup();
    assert.throws(() => store.redeem({ ...exchange, ...bad }), grantError("invalid_grant"));
    assert.throws(() => store.redeem(exchange), grantError("invalid_grant"));
  }
});

test("S256 matches the RFC 7636 appendix B example", () => {
  assert.equal(
    s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
    "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
  );
});

test("a code presented again reports the reuse once, so its tokens can be revoked", () => {
  const reused: string[] = [];
  const store = new CodeStore<{ clientId: string; redirectUri: string; jti: string }>(
    () => 0,
    (g) => reused.push(g.jti),
  );
  const code = store.issue({ clientId: "c", redirectUri: "https://rp/cb", jti: "j1" });
  const x = { clientId: "c", code, redirectUri: "https://rp/cb" };
  assert.equal(store.redeem(x).jti, "j1", "no challenge, no verifier: fine");
  assert.throws(() => store.redeem(x), grantError("invalid_grant"));
  assert.deepEqual(reused, ["j1"]);
  assert.throws(() => store.redeem(x), grantError("invalid_grant"));
  assert.deepEqual(reused, ["j1"], "reported once");
  // Without a challenge at authorization, a verifier at the exchange is refused.
  const c2 = store.issue({ clientId: "c", redirectUri: "https://rp/cb", jti: "j2" });
  assert.throws(
    () => store.redeem({ ...x, code: c2, codeVerifier: randomBytes(32).toString("base64url") }),
    grantError("invalid_grant"),
  );
});
