import assert from "node:assert/strict";
import { createPublicKey, verify } from "node:crypto";
import { test } from "node:test";
import { rng } from "@metacircular/testkit";
import type { Account } from "../accounts/accounts.ts";
import { openDb } from "../db/open.ts";
import { atHash, idTokenClaims } from "./claims.ts";
import { OidcKeyRing } from "./keys.ts";

const account: Account = {
  id: "acc-1",
  username: "hana",
  type: "human",
  roles: ["user"],
  status: "active",
  hasPassword: true,
  totpEnabled: false,
  createdAt: 0,
  updatedAt: 0,
};

function verifyJwt(jwt: string, ring: OidcKeyRing) {
  const [h, p, s] = jwt.split(".") as [string, string, string];
  const header = JSON.parse(Buffer.from(h, "base64url").toString()) as { alg: string; kid: string };
  assert.equal(header.alg, "RS256");
  const jwk = ring.jwks().find((k) => k.kid === header.kid);
  assert.ok(jwk, "signing key is published");
  const key = createPublicKey({ key: { ...jwk }, format: "jwk" });
  assert.ok(verify("sha256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url")));
  return JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
}

test("ID tokens are RS256 with the published key; rotation keeps the old key published", () => {
  let now = 1_700_000_000_000;
  const db = openDb(":memory:");
  const ring = new OidcKeyRing(db, 3600_000, () => now);
  const claims = idTokenClaims({
    issuer: "https://mcias.test",
    clientId: "rp",
    account,
    scope: "openid profile roles",
    nonce: "n-1",
    authTimeMs: now - 5000,
    nowMs: now,
    ttlS: 600,
    accessToken: "at",
  });
  const first = verifyJwt(ring.signJwt(claims), ring);
  assert.equal(first.sub, "acc-1");
  assert.equal(first.aud, "rp");
  assert.equal(first.nonce, "n-1");
  assert.equal(first.preferred_username, "hana");
  assert.deepEqual(first.roles, ["user"]);
  assert.equal(first.exp, (first.iat as number) + 600);
  assert.equal(first.auth_time, Math.floor((now - 5000) / 1000));

  const before = ring.jwks().map((k) => k.kid);
  assert.equal(before.length, 2, "current key plus the pre-published next one");
  const signingBefore = JSON.parse(
    Buffer.from(ring.signJwt(claims).split(".")[0]!, "base64url").toString(),
  ).kid as string;
  const newKid = ring.rotate();
  assert.ok(before.includes(newKid), "the key that signs after rotation was published before");
  assert.equal(ring.jwks().length, 3, "retired, current and next");
  const after = verifyJwt(ring.signJwt(claims), ring);
  assert.equal(after.sub, "acc-1");
  // A new ring on the same database sees them all; after TTL + a day the retired key is gone.
  now += 3600_000 + 86_400_000 + 1;
  const later = new OidcKeyRing(db, 3600_000, () => now);
  const kids = later.jwks().map((k) => k.kid);
  assert.equal(kids.includes(signingBefore), false);
  assert.equal(kids.length, 2);
});

test("at_hash is the left half of SHA-256, base64url (OIDC Core 3.1.3.6)", () => {
  // 16 bytes → 22 base64url characters; stable for a given token.
  assert.equal(atHash("token").length, 22);
  assert.equal(atHash("token"), atHash("token"));
  assert.notEqual(atHash("token"), atHash("token2"));
});

test("profile and roles claims follow the scopes", () => {
  const base = {
    issuer: "i",
    clientId: "c",
    account,
    authTimeMs: 0,
    nowMs: 0,
    ttlS: 60,
    accessToken: "a",
  };
  const only = idTokenClaims({ ...base, scope: "openid" });
  assert.equal(only.preferred_username, undefined);
  assert.equal(only.roles, undefined);
  assert.equal(only.nonce, undefined);
});

/** An integer below n from the seeded PRNG, so a failing run replays with MC_FUZZ_SEED. */
const prng = (seed: number): ((n: number) => number) => rng(seed).int;

test("verifyJwt (id_token_hint): published keys only; fuzzed tokens never throw or verify", (t) => {
  const seed = Number(process.env.MC_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  t.diagnostic(`MC_FUZZ_SEED=${seed}`);
  const rnd = prng(seed);
  const ring = new OidcKeyRing(openDb(":memory:"), 3_600_000);
  const good = ring.signJwt({ iss: "https://idp.example", sub: "acc-1", aud: "wiki" });
  assert.deepEqual(ring.verifyJwt(good), { iss: "https://idp.example", sub: "acc-1", aud: "wiki" });
  const other = new OidcKeyRing(openDb(":memory:"), 3_600_000).signJwt({ sub: "acc-1" });
  assert.equal(ring.verifyJwt(other), undefined, "another ring's key is unknown");
  const [h, p, s] = good.split(".") as [string, string, string];
  const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${p}.`;
  assert.equal(ring.verifyJwt(none), undefined);
  const forged = `${h}.${Buffer.from('{"sub":"admin"}').toString("base64url")}.${s}`;
  assert.equal(ring.verifyJwt(forged), undefined);

  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/{}" \u00e9';
  const inputs: string[] = ["", ".", "..", "...", "a.b.c", `${h}..`, `${h}.${p}`];
  for (let i = 0; i < 1000; i++) {
    let x = "";
    for (let j = rnd(400); j > 0; j--) x += alphabet[rnd(alphabet.length)];
    inputs.push(x);
  }
  for (let i = 0; i < 2000; i++) {
    const chars = good.split("");
    for (let e = 1 + rnd(3); e > 0; e--) {
      const pos = rnd(chars.length);
      const op = rnd(3);
      if (op === 0) chars[pos] = alphabet[rnd(alphabet.length)]!;
      else if (op === 1) chars.splice(pos, 1);
      else chars.splice(pos, 0, alphabet[rnd(alphabet.length)]!);
    }
    inputs.push(chars.join(""));
  }
  for (const input of inputs) {
    const r = ring.verifyJwt(input);
    // Only a mutation that decodes to the very same signed bytes may survive (base64url has
    // non-canonical trailing bits).
    if (r !== undefined)
      assert.deepEqual(r, { iss: "https://idp.example", sub: "acc-1", aud: "wiki" });
  }
});
