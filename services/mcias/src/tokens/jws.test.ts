import assert from "node:assert/strict";
import { generateKeyPairSync, randomBytes, randomInt } from "node:crypto";
import { test } from "node:test";
import { signJws, verifyJws } from "./jws.ts";

const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const other = generateKeyPairSync("ed25519");
const keyFor = (kid: string) => (kid === "k1" ? publicKey : undefined);
const good = signJws({ alg: "EdDSA", typ: "JWT", kid: "k1" }, { sub: "a", n: 1 }, privateKey);

test("a signed token verifies and round-trips its payload", () => {
  const r = verifyJws(good, keyFor);
  assert.equal(r.ok, true);
  assert.deepEqual(r.ok && r.payload, { sub: "a", n: 1 });
});

test("wrong key, unknown kid, alg none and tampering are refused", () => {
  const forged = signJws({ alg: "EdDSA", typ: "JWT", kid: "k1" }, { sub: "a" }, other.privateKey);
  assert.deepEqual(verifyJws(forged, keyFor), { ok: false, reason: "bad_signature" });
  const unknown = signJws({ alg: "EdDSA", typ: "JWT", kid: "zz" }, { sub: "a" }, privateKey);
  assert.deepEqual(verifyJws(unknown, keyFor), { ok: false, reason: "unknown_key" });
  const [, p, s] = good.split(".");
  const none = `${Buffer.from('{"alg":"none","kid":"k1"}').toString("base64url")}.${p}.`;
  assert.equal(verifyJws(none, keyFor).ok, false);
  const tampered = `${good.split(".")[0]}.${Buffer.from('{"sub":"admin"}').toString("base64url")}.${s}`;
  assert.deepEqual(verifyJws(tampered, keyFor), { ok: false, reason: "bad_signature" });
});

test("fuzz: random and mutated tokens never throw and never verify", () => {
  const alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/{}\"' \u00e9\u0000";
  const inputs: unknown[] = [null, undefined, 42, {}, [], "", ".", "..", "...", "a.b.c"];
  for (let i = 0; i < 1500; i++) {
    const len = randomInt(0, 300);
    let s = "";
    for (let j = 0; j < len; j++) s += alphabet[randomInt(alphabet.length)];
    inputs.push(s);
    inputs.push(randomBytes(randomInt(0, 200)).toString("latin1"));
  }
  for (let i = 0; i < 3000; i++) {
    const chars = good.split("");
    const edits = randomInt(1, 4);
    for (let e = 0; e < edits; e++) {
      const pos = randomInt(chars.length);
      const op = randomInt(3);
      if (op === 0) chars[pos] = alphabet[randomInt(alphabet.length)]!;
      else if (op === 1) chars.splice(pos, 1);
      else chars.splice(pos, 0, alphabet[randomInt(alphabet.length)]!);
    }
    inputs.push(chars.join(""));
  }
  for (const input of inputs) {
    const r = verifyJws(input, keyFor);
    if (r.ok) {
      // A mutation may only survive when it decodes to the very same signed bytes
      // (base64url has a few non-canonical trailing-bit encodings).
      assert.deepEqual(r.payload, { sub: "a", n: 1 });
    } else {
      assert.equal(typeof r.reason, "string");
    }
  }
});
