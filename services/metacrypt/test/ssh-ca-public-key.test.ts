// The public key parser against keys ssh-keygen made (fingerprints must agree with ssh-keygen -l),
// and a seeded fuzz: any mutation of a valid line parses or fails with a stable code, never with
// another exception. Replay a failure with MC_FUZZ_SEED.
import assert from "node:assert/strict";
import { test } from "node:test";
import { isAppError } from "@metacircular/mcdsl/errors";
import { fuzzSeed, replayHint, rng, tempDirFor } from "@metacircular/testkit";
import { fingerprint, parsePublicKey } from "../src/ssh-ca/index.ts";
import { makeUserKey, type SubjectKeyType, sshKeygen } from "./helpers/openssh.ts";

const TYPES: SubjectKeyType[] = ["ed25519", "ecdsa-256", "ecdsa-384", "ecdsa-521", "rsa"];
const CODES = new Set(["malformed_key", "unsupported_key_type"]);

test("keys from ssh-keygen parse with the fingerprint ssh-keygen -l prints", (t) => {
  const dir = tempDirFor(t);
  for (const type of TYPES) {
    const key = makeUserKey(dir.path, type, type);
    const parsed = parsePublicKey(key.publicKey);
    const fp = sshKeygen(["-l", "-f", `${key.path}.pub`]).stdout.split(" ")[1];
    assert.equal(fingerprint(parsed.blob), fp, type);
    assert.equal(parsed.comment, `${type}@test`);
  }
});

test("weak, truncated and mislabelled keys are refused", (t) => {
  const dir = tempDirFor(t);
  const r = sshKeygen(["-q", "-t", "rsa", "-b", "1024", "-N", "", "-f", dir.join("weak")]);
  if (r.status === 0) {
    const weak = sshKeygen(["-y", "-f", dir.join("weak")]).stdout.trim();
    assert.throws(() => parsePublicKey(weak), { code: "malformed_key" });
  }
  const good = makeUserKey(dir.path, "good").publicKey;
  const [type, data] = good.split(" ") as [string, string];
  const blob = Buffer.from(data, "base64");
  const cases = [
    "",
    type,
    `${type} !!!`,
    `${type} ${blob.subarray(0, blob.length - 1).toString("base64")}`,
    `${type} ${Buffer.concat([blob, Buffer.from([0])]).toString("base64")}`,
    `ecdsa-sha2-nistp256 ${data}`,
  ];
  for (const line of cases)
    assert.throws(() => parsePublicKey(line), { code: "malformed_key" }, line);
});

function mutate(r: ReturnType<typeof rng>, blob: Buffer): Buffer {
  const b = Buffer.from(blob);
  switch (r.int(4)) {
    case 0:
      b[r.int(b.length)] = r.int(256);
      return b;
    case 1:
      return b.subarray(0, r.int(b.length));
    case 2:
      return Buffer.concat([b, r.bytes(1 + r.int(8))]);
    default: {
      const at = r.int(b.length - 4);
      b.writeUInt32BE(r.pick([0, 1, 0x7fffffff, 0xffffffff, r.int(2 ** 32)]), at);
      return b;
    }
  }
}

test("fuzz: mutated key blobs parse or fail with a stable code", (t) => {
  const seed = fuzzSeed();
  const r = rng(seed);
  const dir = tempDirFor(t);
  const lines = TYPES.map((type) => makeUserKey(dir.path, type, type).publicKey);
  for (let i = 0; i < 3000; i++) {
    const [type, data] = r.pick(lines).split(" ") as [string, string];
    const line = `${type} ${mutate(r, Buffer.from(data, "base64")).toString("base64")}`;
    try {
      const k = parsePublicKey(line);
      assert.equal(k.type, type, replayHint(seed));
    } catch (e) {
      assert.ok(
        isAppError(e) && CODES.has(e.code),
        `${String(e)} for ${line}; ${replayHint(seed)}`,
      );
    }
  }
});
