// Robustness: mutated ceremonies are refused with a client error (a stable passkey_* code),
// never accepted and never an internal error.
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { test } from "node:test";
import { AppError } from "@metacircular/mcdsl/errors";
import { SoftAuthenticator } from "../../test/passkeys-soft-authenticator.ts";
import { createCore } from "../app.ts";
import { configSchema } from "../config.ts";
import { openDb } from "../db/open.ts";
import { counterRegressed } from "./ceremony.ts";

const ORIGIN = "https://localhost";
const cfg = configSchema.parse({
  server: { listen_addr: "127.0.0.1:0" },
  database: { path: ":memory:" },
});

/** Flips one random bit, at or after byte `from` (clamped to the buffer). */
function mutate(b64: string, from = 0): string {
  const b = Buffer.from(b64, "base64url");
  if (b.length === 0) return "AA";
  const i = randomInt(Math.min(from, b.length - 1), b.length);
  b[i] = (b[i] ?? 0) ^ (1 << randomInt(8));
  return b.toString("base64url");
}

const clientError = (e: unknown) =>
  e instanceof AppError && e.status < 500 && /^passkey_|^invalid_credentials$/.test(e.code);

test("bit flips in any part of an assertion or attestation are refused cleanly", async () => {
  const core = createCore(cfg, openDb(":memory:"));
  const alice = core.accounts.create({
    username: "alice",
    type: "human",
    roles: [],
    passwordHash: null,
  });
  const auth = new SoftAuthenticator(ORIGIN);
  const reg = await core.passkeys.beginRegistration(alice, Date.now());
  await core.passkeys.finishRegistration(alice, reg.challengeId, auth.create(reg.options), "k");

  const fields = ["clientDataJSON", "authenticatorData", "signature", "userHandle"] as const;
  for (let i = 0; i < 400; i++) {
    const b = await core.passkeys.beginLogin();
    const r = auth.get(b.options);
    const f = fields[i % fields.length]!;
    // The library reads DER ECDSA signatures leniently (tag bytes are not checked), so the
    // signature is mutated in its integers' bytes: the last 32 bytes are s.
    const from = f === "signature" ? Buffer.from(r.response.signature, "base64url").length - 32 : 0;
    r.response[f] = mutate(r.response[f] ?? "", from);
    await assert.rejects(core.passkeys.finishLogin(b.challengeId, r), clientError, `${f} #${i}`);
  }
  // "none" attestation signs nothing: a flip in, say, the AAGUID or the public key registers a
  // different (useless) key, as it would for a tampering client. Integrity of registration
  // rests on the authenticated session; here we only demand clean refusals.
  const regFields = ["clientDataJSON", "attestationObject"] as const;
  let refused = 0;
  for (let i = 0; i < 200; i++) {
    const b = await core.passkeys.beginRegistration(alice, Date.now());
    const r = auth.create(b.options);
    const f = regFields[i % regFields.length]!;
    r.response[f] = mutate(r.response[f]);
    try {
      const p = await core.passkeys.finishRegistration(alice, b.challengeId, r, "x");
      core.passkeys.remove(alice.id, p.id);
    } catch (e) {
      assert.ok(clientError(e), `${f} #${i}: ${e}`);
      refused++;
    }
  }
  assert.ok(refused > 100, `most mutations are refused (${refused}/200)`);
  for (const junk of [null, 1, "x", [], {}, { id: "a", rawId: "a", type: "public-key" }]) {
    const b = await core.passkeys.beginLogin();
    await assert.rejects(core.passkeys.finishLogin(b.challengeId, junk), clientError);
  }
  assert.equal(core.passkeys.list(alice.id).length, 1);
});

test("the counter rule: zero counters pass, otherwise it must strictly grow", () => {
  assert.equal(counterRegressed(0, 0), false);
  assert.equal(counterRegressed(0, 1), false);
  assert.equal(counterRegressed(5, 6), false);
  assert.equal(counterRegressed(5, 5), true);
  assert.equal(counterRegressed(5, 0), true);
});
