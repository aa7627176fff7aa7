// Certificate serial numbers: 16 random bytes, top bit clear (a positive INTEGER) and the first
// nibble non-zero (so the hex has no leading zero and reads the same from any DER encoding).

import { randomBytes } from "node:crypto";

export function newSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x10;
  return b.toString("hex");
}

export function normalizeSerial(s: string): string {
  return s
    .toLowerCase()
    .replace(/^0+(?=.)/, "")
    .replace(/:/g, "");
}
