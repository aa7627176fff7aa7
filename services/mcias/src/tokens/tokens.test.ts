import assert from "node:assert/strict";
import { test } from "node:test";
import { AccountStore } from "../accounts/accounts.ts";
import { openDb } from "../db/open.ts";
import { decodeJws } from "./jws.ts";
import { KeyRing } from "./keys.ts";
import { TokenService } from "./tokens.ts";

function setup() {
  const clock = { now: 1_800_000_000_000 };
  const now = () => clock.now;
  const db = openDb(":memory:");
  const accounts = new AccountStore(db, now);
  const keys = new KeyRing(db, 365 * 86_400_000, now);
  const tokens = new TokenService(db, keys, "mcias", now);
  const alice = accounts.create({
    username: "alice",
    type: "human",
    roles: ["user"],
    passwordHash: null,
  });
  return { clock, db, accounts, keys, tokens, alice };
}

test("issued tokens carry the claims and validate until they expire", () => {
  const { clock, tokens, alice } = setup();
  const t = tokens.issue(alice, "login", "mcns", 3600_000);
  const d = decodeJws(t.token);
  assert.ok(d.ok);
  const p = d.ok ? d.payload : {};
  assert.equal(p.sub, alice.id);
  assert.equal(p.account_type, "human");
  assert.deepEqual(p.roles, ["user"]);
  assert.equal(p.aud, "mcns");
  assert.equal(p.jti, t.jti);
  assert.equal((p.exp as number) - (p.iat as number), 3600);
  assert.equal(d.ok && typeof d.header.kid, "string");
  const v = tokens.validate(t.token);
  assert.ok(v.valid);
  assert.equal(v.valid && v.identity.username, "alice");
  clock.now += 3600_000;
  assert.deepEqual(tokens.validate(t.token), { valid: false, reason: "expired" });
});

test("revocation is immediate, numbered, and revokeAll covers every live token", () => {
  const { tokens, alice } = setup();
  const a = tokens.issue(alice, "login", "x", 60_000);
  const b = tokens.issue(alice, "login", "x", 60_000);
  const e0 = tokens.epoch();
  assert.equal(tokens.revoke(a.jti, "test"), true);
  assert.equal(tokens.revoke(a.jti, "test"), false);
  assert.deepEqual(tokens.validate(a.token), { valid: false, reason: "revoked" });
  assert.equal(tokens.validate(b.token).valid, true);
  assert.equal(tokens.revokeAll(alice.id, "disable"), 1);
  assert.equal(tokens.validate(b.token).valid, false);
  const page = tokens.revocationsSince(e0);
  assert.deepEqual(page, { epoch: e0 + 2, revoked: [a.jti, b.jti], changed: [], reset: false });
  assert.deepEqual(tokens.revocationsSince(-1), {
    epoch: e0 + 2,
    revoked: [],
    changed: [],
    reset: false,
  });
  const c = tokens.issue(alice, "login", "x", 60_000);
  assert.equal(tokens.announceChange(alice.id), 1);
  assert.deepEqual(tokens.revocationsSince(e0 + 2).changed, [c.jti]);
  assert.equal(tokens.validate(c.token).valid, true);
  assert.equal(tokens.revocationsSince(e0 + 99).reset, true);
});

test("pruned feed entries force a reset for stale followers", () => {
  const { clock, tokens, alice } = setup();
  const a = tokens.issue(alice, "login", "x", 60_000);
  tokens.revoke(a.jti, "t");
  clock.now += 120_000;
  tokens.prune();
  const b = tokens.issue(alice, "login", "x", 60_000);
  tokens.revoke(b.jti, "t");
  assert.equal(tokens.revocationsSince(0).reset, true);
  assert.equal(tokens.revocationsSince(1).reset, false);
  clock.now += 2 * 86_400_000;
  tokens.prune();
  assert.deepEqual(tokens.listFor(alice.id), []);
});

test("key rotation keeps unexpired tokens valid and publishes both keys", () => {
  const { keys, tokens, alice, db, clock } = setup();
  const old = tokens.issue(alice, "system", "*", 365 * 86_400_000);
  const oldKid = keys.signingKey().kid;
  const newKid = keys.rotate();
  assert.notEqual(newKid, oldKid);
  assert.deepEqual(
    keys
      .jwks()
      .keys.map((k) => k.kid)
      .sort(),
    [oldKid, newKid].sort(),
  );
  assert.equal(tokens.validate(old.token).valid, true);
  const fresh = tokens.issue(alice, "login", "x", 60_000);
  assert.equal(
    decodeJws(fresh.token).ok && (decodeJws(fresh.token) as { header: { kid: string } }).header.kid,
    newKid,
  );
  // a restarted process loads the same keys
  const again = new TokenService(
    db,
    new KeyRing(db, 365 * 86_400_000, () => clock.now),
    "mcias",
    () => clock.now,
  );
  assert.equal(again.validate(old.token).valid, true);
});

test("a token for another issuer or with a forged subject is refused", () => {
  const { db, keys, tokens, alice } = setup();
  const other = new TokenService(db, keys, "someone-else", Date.now);
  const t = tokens.issue(alice, "login", "x", 60_000);
  assert.equal(other.validate(t.token).valid, false);
  assert.equal(tokens.validate("not.a.token").valid, false);
});

test("waitForRevocations resolves on a revocation or after the wait", async () => {
  const { tokens, alice } = setup();
  const t = tokens.issue(alice, "login", "x", 60_000);
  const e = tokens.epoch();
  const pending = tokens.waitForRevocations(e, 10_000);
  setImmediate(() => tokens.revoke(t.jti, "t"));
  assert.deepEqual((await pending).revoked, [t.jti]);
  const idle = await tokens.waitForRevocations(e + 1, 20);
  assert.deepEqual(idle.revoked, []);
});

test("validateFor enforces the token's service context", () => {
  const { tokens, alice, accounts } = setup();
  const t = tokens.issue(alice, "login", "mcns", 60_000);
  assert.equal(tokens.validateFor(t.token, "mcns").valid, true);
  assert.equal(tokens.validateFor(t.token, undefined).valid, true);
  assert.deepEqual(tokens.validateFor(t.token, "mcr"), { valid: false, reason: "wrong_audience" });
  const svc = accounts.create({ username: "svc", type: "system", roles: [], passwordHash: null });
  // An audience is one service, exactly: a "*" (formerly "any service") token is valid nowhere.
  const s = tokens.issue(svc, "system", "*", 60_000);
  assert.deepEqual(tokens.validateFor(s.token, "mcr"), { valid: false, reason: "wrong_audience" });
  assert.equal(
    tokens.validateFor(tokens.issue(svc, "system", "mcr", 60_000).token, "mcr").valid,
    true,
  );
});

test("OAuth access tokens carry the OIDC issuer, bound to their oidc_tokens record", () => {
  const { db, keys, alice, clock } = setup();
  const tokens = new TokenService(db, keys, "mcias", () => clock.now, "https://id.example");
  const t = tokens.issue(alice, "login", "wiki", 60_000, { oauth: true });
  const d = decodeJws(t.token);
  assert.equal(d.ok && d.payload.iss, "https://id.example");
  // Not recorded as an OAuth token: the OIDC issuer is not MCIAS's own, so it is refused.
  assert.deepEqual(tokens.validate(t.token), { valid: false, reason: "bad_claims" });
  db.prepare(
    "INSERT INTO oidc_tokens (jti, grant_id, client_id, account_id, scope, auth_time, expires_at) VALUES (?, 'g', 'rp', ?, 'openid', 0, ?)",
  ).run(t.jti, alice.id, t.expiresAt);
  const v = tokens.validate(t.token);
  assert.ok(v.valid);
  assert.equal(v.valid && v.identity.clientId, "rp");
  assert.throws(() =>
    new TokenService(db, keys, "mcias", () => clock.now).issue(alice, "login", "x", 1, {
      oauth: true,
    }),
  );
});
