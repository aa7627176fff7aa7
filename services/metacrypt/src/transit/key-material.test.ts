import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { open, seal } from "./key-material.ts";

test("nonces from the pool are never repeated across refills, and each seal opens", () => {
  const key = randomBytes(32);
  const aad = Buffer.from("ctx");
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const pt = Buffer.from(`message ${i}`);
    const sealed = seal("aes256-gcm", key, pt, aad);
    seen.add(sealed.subarray(0, 12).toString("hex"));
    assert.deepEqual(open("aes256-gcm", key, sealed, aad), pt);
  }
  assert.equal(seen.size, 1000);
});
