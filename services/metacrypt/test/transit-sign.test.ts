// Transit signatures checked by openssl against the published public key (Ed25519, ECDSA in DER),
// verification across rotation and the minimum version, and HMACs compared in constant time.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { tempDirFor } from "@metacircular/testkit";
import { TransitEngine, type TransitKeyType } from "../src/transit/index.ts";
import { MemoryMountStore } from "./helpers/memory-mount-store.ts";

const SIGNING: Array<[TransitKeyType, string[]]> = [
  ["ed25519", ["pkeyutl", "-verify", "-rawin"]],
  ["ecdsa-p256", ["dgst", "-sha256", "-verify"]],
  ["ecdsa-p384", ["dgst", "-sha384", "-verify"]],
];

function opensslVerifies(
  dir: string,
  cmd: string[],
  pem: string,
  input: Buffer,
  sig: string,
): boolean {
  writeFileSync(`${dir}/pub.pem`, pem);
  writeFileSync(`${dir}/input`, input);
  writeFileSync(`${dir}/sig`, Buffer.from(sig.split(":")[2] ?? "", "base64"));
  const args =
    cmd[0] === "pkeyutl"
      ? [
          ...cmd,
          "-pubin",
          "-inkey",
          `${dir}/pub.pem`,
          "-in",
          `${dir}/input`,
          "-sigfile",
          `${dir}/sig`,
        ]
      : [...cmd, `${dir}/pub.pem`, "-signature", `${dir}/sig`, `${dir}/input`];
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  return r.status === 0 && /Verified OK|Signature Verified Successfully/.test(r.stdout);
}

for (const [type, cmd] of SIGNING) {
  test(`${type}: openssl verifies the signature with the published public key`, (t) => {
    const dir = tempDirFor(t);
    const transit = new TransitEngine(new MemoryMountStore());
    transit.createKey("release", { type });
    const input = Buffer.from("release v1.2.3 sha256:abcdef");
    const { signature, keyVersion } = transit.sign("release", { input });
    assert.equal(keyVersion, 1);
    const pem = transit.getKey("release").versions[0]?.publicKey ?? "";
    assert.match(pem, /BEGIN PUBLIC KEY/);
    assert.ok(
      opensslVerifies(dir.path, cmd, pem, input, signature),
      "openssl refuses the signature",
    );
    assert.ok(!opensslVerifies(dir.path, cmd, pem, Buffer.from("other input"), signature));
    assert.deepEqual(transit.verify("release", { input, signature }), { valid: true });
    assert.deepEqual(transit.verify("release", { input: Buffer.from("x"), signature }), {
      valid: false,
    });

    transit.rotateKey("release");
    const v2 = transit.sign("release", { input });
    assert.match(v2.signature, /^metacrypt:v2:/);
    assert.deepEqual(transit.verify("release", { input, signature }), { valid: true });
    const pem2 = transit.getKey("release").versions[1]?.publicKey ?? "";
    assert.ok(opensslVerifies(dir.path, cmd, pem2, input, v2.signature));
    transit.configureKey("release", { minDecryptionVersion: 2 });
    assert.throws(() => transit.verify("release", { input, signature }), {
      code: "key_version_too_old",
    });
    const swapped = v2.signature.replace(":v2:", ":v1:");
    transit.configureKey("release", { minDecryptionVersion: 1 });
    assert.deepEqual(transit.verify("release", { input, signature: swapped }), { valid: false });
  });
}

test("ECDSA signs with a chosen hash; Ed25519 refuses one", () => {
  const transit = new TransitEngine(new MemoryMountStore());
  transit.createKey("ec", { type: "ecdsa-p256" });
  transit.createKey("ed", { type: "ed25519" });
  const input = Buffer.from("data");
  const { signature } = transit.sign("ec", { input, hashAlgorithm: "sha512" });
  assert.deepEqual(transit.verify("ec", { input, signature, hashAlgorithm: "sha512" }), {
    valid: true,
  });
  assert.deepEqual(transit.verify("ec", { input, signature }), { valid: false });
  assert.throws(() => transit.sign("ed", { input, hashAlgorithm: "sha256" }), {
    code: "invalid_hash",
  });
  assert.throws(() => transit.sign("ec", { input, hashAlgorithm: "md5" as "sha256" }), {
    code: "invalid_hash",
  });
  assert.throws(() => transit.hmac("ec", { input }), { code: "unsupported_operation" });
  const batch = transit.signBatch("ec", [{ input }, { input, keyVersion: 5 }]);
  assert.deepEqual(
    batch.map((r) => (r.ok ? "ok" : r.error.code)),
    ["ok", "key_version_not_found"],
  );
  const checks = transit.verifyBatch("ec", [
    { input, signature: batch[0]?.ok ? batch[0].value.signature : "" },
  ]);
  assert.deepEqual(checks, [{ ok: true, value: { valid: true } }]);
});

test("HMAC: versioned tags verify, altered tags and inputs do not", () => {
  const transit = new TransitEngine(new MemoryMountStore());
  transit.createKey("mac", { type: "hmac" });
  const input = Buffer.from("webhook body");
  const v1 = transit.hmac("mac", { input });
  assert.equal(Buffer.from(v1.hmac.split(":")[2] ?? "", "base64").length, 32);
  transit.rotateKey("mac");
  const v2 = transit.hmac("mac", { input, algorithm: "sha512" });
  assert.match(v2.hmac, /^metacrypt:v2:/);
  assert.notEqual(v1.hmac.split(":")[2], transit.hmac("mac", { input }).hmac.split(":")[2]);
  assert.deepEqual(transit.verifyHmac("mac", { input, hmac: v1.hmac }), { valid: true });
  assert.deepEqual(transit.verifyHmac("mac", { input, hmac: v2.hmac, algorithm: "sha512" }), {
    valid: true,
  });
  assert.deepEqual(transit.verifyHmac("mac", { input, hmac: v2.hmac }), { valid: false });
  assert.deepEqual(transit.verifyHmac("mac", { input: Buffer.from("x"), hmac: v1.hmac }), {
    valid: false,
  });
  const cut = `metacrypt:v1:${Buffer.from(v1.hmac.split(":")[2] ?? "", "base64")
    .subarray(0, 16)
    .toString("base64")}`;
  assert.deepEqual(transit.verifyHmac("mac", { input, hmac: cut }), { valid: false });
  assert.throws(() => transit.verifyHmac("mac", { input, hmac: "metacrypt:v01:AAAA" }), {
    code: "malformed_hmac",
  });
  assert.equal(transit.hmacBatch("mac", [{ input }, { input }]).length, 2);
});
