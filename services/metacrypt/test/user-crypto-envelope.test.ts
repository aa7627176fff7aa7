// User-to-user encryption: only the recipient opens a message, the sender is authenticated (a
// forged sender is refused), tampering is refused, rotation keeps old messages readable, and the
// envelope parser survives a seeded fuzz (replay with MC_FUZZ_SEED).
import assert from "node:assert/strict";
import { createPrivateKey, type KeyObject } from "node:crypto";
import { test } from "node:test";
import { isAppError } from "@metacircular/mcdsl/errors";
import { fuzzSeed, replayHint, rng } from "@metacircular/testkit";
import { encodeHeader, formatEnvelope, parseEnvelope } from "../src/user-crypto/envelope.ts";
import { openMessage, sealMessage } from "../src/user-crypto/hybrid.ts";
import { UserCryptoEngine } from "../src/user-crypto/index.ts";
import { MemoryMountStore } from "./helpers/memory-mount-store.ts";

function setup() {
  const store = new MemoryMountStore();
  const engine = new UserCryptoEngine(store);
  for (const u of ["alice", "bob", "carol", "mallory"]) engine.ensureKeyPair(u);
  /** A user's private key straight from the mount (what a thief of the key would hold). */
  const stolen = (user: string, version = 1): KeyObject => {
    const rec = JSON.parse(store.get(`users/${user}`)?.toString() ?? "{}");
    const der = Buffer.from(rec.versions[String(version)].privateKey, "base64");
    return createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  };
  return { store, engine, stolen };
}

const secret = Buffer.from("the launch code is 0000");

test("only the recipient opens a message, and learns who sent it", () => {
  const { store, engine, stolen } = setup();
  const { envelope } = engine.encrypt({ sender: "alice", recipient: "bob", plaintext: secret });
  assert.match(envelope, /^metacrypt:u1:/);
  assert.deepEqual(engine.decrypt({ recipient: "bob", envelope }), {
    sender: "alice",
    senderKeyVersion: 1,
    plaintext: secret,
  });
  for (const other of ["carol", "alice"]) {
    assert.throws(() => engine.decrypt({ recipient: other, envelope }), { code: "not_recipient" });
  }
  const parsed = parseEnvelope(envelope);
  const asCarol = {
    envelope: parsed,
    recipientPrivateKey: stolen("carol"),
    context: Buffer.alloc(0),
  };
  for (const sender of ["alice", "carol"]) {
    const senderPublicKey = stolen(sender);
    assert.throws(() => openMessage({ ...asCarol, senderPublicKey }), {
      code: "decryption_failed",
    });
  }
  assert.ok(!store.contains(secret), "plaintext must never reach the mount");
});

test("a forged sender is refused", () => {
  const { engine, stolen } = setup();
  const bobPublic = stolen("bob");
  const forged = sealMessage({
    sender: { id: "alice", keyVersion: 1, privateKey: stolen("mallory") },
    recipient: { id: "bob", keyVersion: 1, publicKey: bobPublic },
    plaintext: Buffer.from("pay mallory"),
    context: Buffer.alloc(0),
  });
  const envelope = formatEnvelope(forged.headerBytes, forged.sealed);
  assert.throws(() => engine.decrypt({ recipient: "bob", envelope }), {
    code: "decryption_failed",
  });

  // A genuine message from mallory, relabelled as from alice: the header is bound into the key.
  const genuine = parseEnvelope(
    engine.encrypt({ sender: "mallory", recipient: "bob", plaintext: secret }).envelope,
  );
  const relabelled = formatEnvelope(encodeHeader({ ...genuine, sender: "alice" }), genuine.sealed);
  assert.throws(() => engine.decrypt({ recipient: "bob", envelope: relabelled }), {
    code: "decryption_failed",
  });
});

test("every flipped bit, and a different context, is refused", () => {
  const { engine } = setup();
  const context = Buffer.from("thread 42");
  const { envelope } = engine.encrypt({
    sender: "alice",
    recipient: "bob",
    plaintext: secret,
    context,
  });
  assert.throws(() => engine.decrypt({ recipient: "bob", envelope }), {
    code: "decryption_failed",
  });
  assert.throws(
    () => engine.decrypt({ recipient: "bob", envelope, context: Buffer.from("thread 43") }),
    {
      code: "decryption_failed",
    },
  );
  const bytes = Buffer.from(envelope.slice("metacrypt:u1:".length), "base64");
  const allowed = new Set(["decryption_failed", "malformed_envelope", "not_recipient"]);
  for (let i = 0; i < bytes.length; i++) {
    const b = Buffer.from(bytes);
    b[i] = (b[i] as number) ^ 0x04;
    const tampered = `metacrypt:u1:${b.toString("base64")}`;
    assert.throws(
      () => engine.decrypt({ recipient: "bob", envelope: tampered, context }),
      (e: unknown) => isAppError(e) && allowed.has(e.code),
      `byte ${i}`,
    );
  }
});

test("rotation keeps old messages readable and new ones use the new key", () => {
  const { engine } = setup();
  const old = engine.encrypt({ sender: "alice", recipient: "bob", plaintext: secret }).envelope;
  assert.equal(engine.rotateKeyPair("bob").keyVersion, 2);
  assert.equal(engine.rotateKeyPair("alice").keyVersion, 2);
  assert.deepEqual(engine.decrypt({ recipient: "bob", envelope: old }).plaintext, secret);
  const fresh = engine.encrypt({ sender: "alice", recipient: "bob", plaintext: secret }).envelope;
  assert.equal(parseEnvelope(fresh).recipientKeyVersion, 2);
  assert.equal(engine.decrypt({ recipient: "bob", envelope: fresh }).senderKeyVersion, 2);
  assert.notEqual(engine.publicKey("bob").publicKey, engine.publicKey("alice").publicKey);
  assert.throws(() => engine.publicKey("dave"), { code: "user_key_not_found" });
  assert.throws(() => engine.encrypt({ sender: "alice", recipient: "dave", plaintext: secret }), {
    code: "user_key_not_found",
  });
  assert.throws(() => engine.ensureKeyPair("bad/id"), { code: "invalid_user_id" });
});

test("fuzz: mutated envelopes are refused with stable codes and never open", () => {
  const seed = fuzzSeed();
  const r = rng(seed);
  const { engine } = setup();
  const originals = [0, 1, 40].map(
    (n) => engine.encrypt({ sender: "alice", recipient: "bob", plaintext: r.bytes(n) }).envelope,
  );
  const codes = new Set(["decryption_failed", "malformed_envelope", "not_recipient"]);
  for (let i = 0; i < 3000; i++) {
    const original = r.pick(originals);
    const raw = Buffer.from(original.slice(13), "base64");
    const at = r.int(raw.length);
    const mutated =
      r.int(2) === 0
        ? Buffer.concat([raw.subarray(0, at), r.bytes(r.int(4)), raw.subarray(at + r.int(3))])
        : raw.subarray(0, at);
    const s =
      r.int(10) === 0
        ? original.slice(0, r.int(original.length))
        : `metacrypt:u1:${mutated.toString("base64")}`;
    try {
      engine.decrypt({ recipient: "bob", envelope: s });
      assert.equal(s, original, `a mutated envelope opened; ${replayHint(seed)}`);
    } catch (e) {
      assert.ok(isAppError(e) && codes.has(e.code), `${String(e)} for ${s}; ${replayHint(seed)}`);
    }
  }
});
