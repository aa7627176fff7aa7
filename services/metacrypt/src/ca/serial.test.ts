import assert from "node:assert/strict";
import { test } from "node:test";
import { newSerial, normalizeSerial } from "./serial.ts";

test("serials are positive, 16 bytes, and have no leading zero (OCSP looks them up as DER reads them)", () => {
  for (let i = 0; i < 2000; i++) {
    const s = newSerial();
    assert.match(s, /^[1-7][0-9a-f]{31}$/);
    assert.equal(normalizeSerial(s), s);
  }
  assert.equal(normalizeSerial("00:1A:2b"), "1a2b");
});
