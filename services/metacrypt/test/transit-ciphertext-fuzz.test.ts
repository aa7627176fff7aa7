// Seeded fuzz of the transit string parser and decrypt behind it: a mutated ciphertext parses and
// fails with a stable code, and it never decrypts unless it is the original string.
// Replay a failure with MC_FUZZ_SEED.
import assert from "node:assert/strict";
import { test } from "node:test";
import { isAppError } from "@metacircular/mcdsl/errors";
import { fuzzSeed, type Rng, replayHint, rng } from "@metacircular/testkit";
import { formatVersioned, parseVersioned, TransitEngine } from "../src/transit/index.ts";
import { MemoryMountStore } from "./helpers/memory-mount-store.ts";

const CODES = new Set(["malformed_ciphertext", "decryption_failed", "key_version_not_found"]);
const ALPHABET = "metacrypt:v0123456789ABCDEFabcdef+/=- \n\u00e9";

function mutate(r: Rng, s: string): string {
  const at = r.int(s.length + 1);
  switch (r.int(5)) {
    case 0:
      return s.slice(0, at) + r.pick([...ALPHABET]) + s.slice(at + 1);
    case 1:
      return s.slice(0, at);
    case 2:
      return s.slice(0, at) + r.pick([...ALPHABET]) + s.slice(at);
    case 3:
      return s.slice(0, at) + s.slice(at + 1 + r.int(4));
    default:
      return formatVersioned(1 + r.int(3), r.bytes(r.int(64)));
  }
}

test("fuzz: mutated ciphertexts are refused with stable codes and never decrypt", () => {
  const seed = fuzzSeed();
  const r = rng(seed);
  const transit = new TransitEngine(new MemoryMountStore());
  transit.createKey("k", { type: "aes256-gcm" });
  transit.rotateKey("k");
  const originals = Array.from({ length: 8 }, (_, i) => {
    const plaintext = r.bytes(i * 7);
    return transit.encrypt("k", { plaintext, keyVersion: 1 + (i % 2) }).ciphertext;
  });
  for (let i = 0; i < 5000; i++) {
    const original = r.pick(originals);
    let s = mutate(r, original);
    if (r.int(3) === 0) s = mutate(r, s);
    try {
      transit.decrypt("k", { ciphertext: s });
      assert.equal(s, original, `a mutated ciphertext decrypted: ${s}; ${replayHint(seed)}`);
    } catch (e) {
      assert.ok(
        isAppError(e) && CODES.has(e.code),
        `${String(e)} for ${JSON.stringify(s)}; ${replayHint(seed)}`,
      );
    }
  }
});

test("the parser accepts exactly one spelling of a value", () => {
  const payload = Buffer.from("abcde");
  const good = formatVersioned(12, payload);
  assert.deepEqual(parseVersioned(good), { version: 12, payload });
  const bad = [
    "metacrypt:v012:YWJjZGU=",
    "metacrypt:v0:YWJjZGU=",
    "metacrypt:v4294967296:YWJjZGU=",
    "metacrypt:v12:YWJjZGV=",
    "metacrypt:v12:YWJjZGU",
    "metacrypt:v12:",
    "metacrypt:v12:YWJj ZGU=",
    "metacrypt:v-1:YWJjZGU=",
    "metacrypt:12:YWJjZGU=",
    "Metacrypt:v12:YWJjZGU=",
    "metacrypt:v12:YWJjZGU=\n",
  ];
  for (const s of bad) assert.throws(() => parseVersioned(s), { code: "malformed_ciphertext" }, s);
  assert.throws(() => parseVersioned(42), { code: "malformed_ciphertext" });
  assert.throws(() => parseVersioned("x", "signature"), { code: "malformed_signature" });
});
