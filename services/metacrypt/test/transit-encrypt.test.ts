// Transit encryption: versioned ciphertexts survive rotation, rewrap moves them forward, the
// minimum decryption version retires old ones, and any tampering is refused. The mount never
// holds a plaintext.
import assert from "node:assert/strict";
import { test } from "node:test";
import { TransitEngine, type TransitKeyType } from "../src/transit/index.ts";
import { MemoryMountStore } from "./helpers/memory-mount-store.ts";

const AEAD: TransitKeyType[] = ["aes256-gcm", "chacha20-poly1305"];

function fresh() {
  const store = new MemoryMountStore();
  return { store, transit: new TransitEngine(store, () => 1_800_000_000_000) };
}

for (const type of AEAD) {
  test(`${type}: v1 decrypts after rotation, rewrap moves it to v2, min version retires v1`, () => {
    const { store, transit } = fresh();
    transit.createKey("orders", { type });
    const secret = Buffer.from("card 4111 1111 1111 1111");
    const v1 = transit.encrypt("orders", { plaintext: secret });
    assert.match(v1.ciphertext, /^metacrypt:v1:[A-Za-z0-9+/]+=*$/);
    assert.equal(transit.rotateKey("orders").latestVersion, 2);
    assert.deepEqual(transit.decrypt("orders", { ciphertext: v1.ciphertext }).plaintext, secret);
    const v2 = transit.rewrap("orders", { ciphertext: v1.ciphertext });
    assert.equal(v2.keyVersion, 2);
    assert.match(v2.ciphertext, /^metacrypt:v2:/);
    assert.deepEqual(transit.decrypt("orders", { ciphertext: v2.ciphertext }).plaintext, secret);
    assert.match(transit.encrypt("orders", { plaintext: secret }).ciphertext, /^metacrypt:v2:/);

    transit.configureKey("orders", { minDecryptionVersion: 2 });
    assert.throws(() => transit.decrypt("orders", { ciphertext: v1.ciphertext }), {
      code: "key_version_too_old",
    });
    assert.throws(() => transit.rewrap("orders", { ciphertext: v1.ciphertext }), {
      code: "key_version_too_old",
    });
    assert.throws(() => transit.encrypt("orders", { plaintext: secret, keyVersion: 1 }), {
      code: "key_version_too_old",
    });
    transit.configureKey("orders", { minDecryptionVersion: 1 });
    assert.deepEqual(transit.decrypt("orders", { ciphertext: v1.ciphertext }).plaintext, secret);
    assert.ok(!store.contains(secret), "plaintext must never reach the mount");
  });

  test(`${type}: tampered ciphertext, wrong context and wrong key are refused`, () => {
    const { transit } = fresh();
    transit.createKey("a", { type });
    transit.createKey("b", { type });
    transit.rotateKey("a");
    const ct = transit.encrypt("a", {
      plaintext: Buffer.from("hello"),
      context: Buffer.from("tenant-7"),
    }).ciphertext;
    const payload = Buffer.from(ct.split(":")[2] ?? "", "base64");
    for (let i = 0; i < payload.length; i++) {
      const bad = Buffer.from(payload);
      bad[i] = (bad[i] as number) ^ 0x01;
      const tampered = `metacrypt:v2:${bad.toString("base64")}`;
      assert.throws(
        () => transit.decrypt("a", { ciphertext: tampered, context: Buffer.from("tenant-7") }),
        {
          code: "decryption_failed",
        },
      );
    }
    const cut = `metacrypt:v2:${payload.subarray(0, 20).toString("base64")}`;
    assert.throws(
      () => transit.decrypt("a", { ciphertext: cut, context: Buffer.from("tenant-7") }),
      { code: "decryption_failed" },
    );
    const asV1 = ct.replace("metacrypt:v2:", "metacrypt:v1:");
    assert.throws(
      () => transit.decrypt("a", { ciphertext: asV1, context: Buffer.from("tenant-7") }),
      { code: "decryption_failed" },
    );
    assert.throws(
      () => transit.decrypt("a", { ciphertext: ct, context: Buffer.from("tenant-8") }),
      { code: "decryption_failed" },
    );
    assert.throws(() => transit.decrypt("a", { ciphertext: ct }), { code: "decryption_failed" });
    assert.throws(
      () => transit.decrypt("b", { ciphertext: ct, context: Buffer.from("tenant-7") }),
      { code: "key_version_not_found" },
    );
    transit.rotateKey("b");
    assert.throws(
      () => transit.decrypt("b", { ciphertext: ct, context: Buffer.from("tenant-7") }),
      { code: "decryption_failed" },
    );
    assert.throws(() => transit.decrypt("a", { ciphertext: "vault:v1:AAAA" }), {
      code: "malformed_ciphertext",
    });
  });
}

test("data keys come back wrapped, and in the clear only when asked", () => {
  const { store, transit } = fresh();
  transit.createKey("dek", { type: "aes256-gcm" });
  const wrapped = transit.dataKey("dek");
  assert.equal(wrapped.plaintext, undefined);
  assert.equal(transit.decrypt("dek", wrapped).plaintext.length, 32);
  const both = transit.dataKey("dek", { bits: 512, includePlaintext: true });
  assert.equal(both.plaintext?.length, 64);
  assert.deepEqual(transit.decrypt("dek", both).plaintext, both.plaintext);
  assert.ok(!store.contains(both.plaintext ?? Buffer.alloc(1)));
  assert.throws(() => transit.dataKey("dek", { bits: 64 as 128 }), { code: "invalid_bits" });
});

test("batches answer item by item", () => {
  const { transit } = fresh();
  transit.createKey("k", { type: "chacha20-poly1305" });
  const enc = transit.encryptBatch("k", [
    { plaintext: Buffer.from("one") },
    { plaintext: Buffer.from("two") },
  ]);
  const cts = enc.map((r) => (r.ok ? r.value.ciphertext : "")) as [string, string];
  const dec = transit.decryptBatch("k", [
    { ciphertext: cts[0] },
    { ciphertext: "garbage" },
    { ciphertext: cts[1] },
  ]);
  assert.deepEqual(
    dec.map((r) => (r.ok ? r.value.plaintext.toString() : r.error.code)),
    ["one", "malformed_ciphertext", "two"],
  );
  transit.rotateKey("k");
  const re = transit.rewrapBatch(
    "k",
    cts.map((ciphertext) => ({ ciphertext })),
  );
  assert.deepEqual(
    re.map((r) => r.ok && r.value.keyVersion),
    [2, 2],
  );
  assert.throws(() => transit.encryptBatch("k", []), { code: "empty_batch" });
  const many = Array.from({ length: 1001 }, () => ({ plaintext: Buffer.alloc(1) }));
  assert.throws(() => transit.encryptBatch("k", many), { code: "batch_too_large" });
});

test("key management refuses what it must", () => {
  const { transit } = fresh();
  assert.throws(() => transit.createKey("bad/name", { type: "aes256-gcm" }), {
    code: "invalid_key_name",
  });
  assert.throws(() => transit.createKey("x", { type: "des" as TransitKeyType }), {
    code: "unsupported_key_type",
  });
  transit.createKey("x", { type: "aes256-gcm" });
  transit.createKey("h", { type: "hmac" });
  assert.throws(() => transit.createKey("x", { type: "aes256-gcm" }), { code: "key_exists" });
  assert.deepEqual(transit.listKeys(), ["h", "x"]);
  assert.throws(() => transit.getKey("nope"), { code: "key_not_found" });
  assert.throws(() => transit.configureKey("x", { minDecryptionVersion: 2 }), {
    code: "invalid_key_version",
  });
  assert.throws(() => transit.encrypt("h", { plaintext: Buffer.from("x") }), {
    code: "unsupported_operation",
  });
  assert.throws(() => transit.encrypt("x", { plaintext: Buffer.from("x"), keyVersion: 9 }), {
    code: "key_version_not_found",
  });
  assert.throws(() => transit.deleteKey("x"), { code: "deletion_not_allowed" });
  transit.configureKey("x", { deletionAllowed: true });
  transit.deleteKey("x");
  assert.deepEqual(transit.listKeys(), ["h"]);
  const info = transit.getKey("h");
  assert.equal(JSON.stringify(info).includes("material"), false);
});
