import assert from "node:assert/strict";
import { test } from "node:test";
import { base32Decode, base32Encode, hotp, otpauthUri, totpAt, verifyTotp } from "./totp.ts";

// RFC 6238 appendix B, SHA1 secret "12345678901234567890", truncated to 6 digits.
const rfcSecret = base32Encode(Buffer.from("12345678901234567890"));

test("RFC 6238 test vectors (6-digit)", () => {
  const vectors: [number, string][] = [
    [59, "287082"],
    [1111111109, "081804"],
    [1111111111, "050471"],
    [1234567890, "005924"],
    [2000000000, "279037"],
    [20000000000, "353130"],
  ];
  for (const [t, code] of vectors) assert.equal(totpAt(rfcSecret, t * 1000), code);
});

test("RFC 4226 HOTP vectors and base32 round trip", () => {
  const secret = Buffer.from("12345678901234567890");
  assert.equal(hotp(secret, 0), "755224");
  assert.equal(hotp(secret, 9), "520489");
  assert.deepEqual(base32Decode(base32Encode(secret)), secret);
  assert.equal(base32Encode(Buffer.from("foobar")), "MZXW6YTBOI");
});

test("verify accepts adjacent steps, returns the step, refuses junk", () => {
  const now = 1_700_000_000_000;
  const prev = totpAt(rfcSecret, now - 30_000);
  assert.equal(verifyTotp(rfcSecret, prev, now), Math.floor(now / 30_000) - 1);
  assert.equal(verifyTotp(rfcSecret, totpAt(rfcSecret, now - 120_000), now), null);
  assert.equal(verifyTotp(rfcSecret, "12345", now), null);
  assert.equal(verifyTotp(rfcSecret, "abcdef", now), null);
  assert.match(
    otpauthUri("MCIAS", "alice", rfcSecret),
    /^otpauth:\/\/totp\/MCIAS%3Aalice\?secret=/,
  );
});
