// Field helpers shared by the RDATA codecs: numbers, names, fixed widths, hex and base64 blobs.
// Every failure is a DnsFormatError with a stable code (bad_rdata unless stated).

import { DnsFormatError } from "./errors.ts";
import { absoluteName } from "./name.ts";
import type { Token } from "./text-tokens.ts";

export const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};

export const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

export function int(t: Token | undefined, max: number, what: string): number {
  if (!t || t.quoted || !/^\d+$/.test(t.text))
    throw new DnsFormatError("bad_rdata", `expected ${what} as a number`);
  const n = Number(t.text);
  if (n > max) throw new DnsFormatError("bad_rdata", `${what} out of range (max ${max})`);
  return n;
}

/** A number or one of the mnemonics in `names` (RFC 4034 algorithms, RFC 4398 cert types). */
export function intOrMnemonic(
  t: Token | undefined,
  max: number,
  what: string,
  names: Record<string, number>,
): number {
  const byName = t && !t.quoted ? names[t.text.toUpperCase()] : undefined;
  return byName ?? int(t, max, what);
}

export function nameTok(t: Token | undefined, origin: string | undefined, what: string): string {
  if (!t || t.quoted) throw new DnsFormatError("bad_rdata", `expected ${what} as a domain name`);
  return absoluteName(t.text, origin);
}

export function exact(tokens: Token[], n: number, type: string): void {
  if (tokens.length !== n)
    throw new DnsFormatError("bad_rdata", `${type} needs ${n} field(s), got ${tokens.length}`);
}

export function atLeast(tokens: Token[], n: number, type: string): void {
  if (tokens.length < n)
    throw new DnsFormatError(
      "bad_rdata",
      `${type} needs at least ${n} field(s), got ${tokens.length}`,
    );
}

/** Hex blob that may be split over several tokens (RFC 4034 §5.3, RFC 6698 §2.2). */
export function hexBlob(tokens: Token[], what: string): Buffer {
  const hex = tokens.map((t) => t.text).join("");
  if (hex === "" || !/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0)
    throw new DnsFormatError("bad_rdata", `${what} must be an even number of hex digits`);
  return Buffer.from(hex, "hex");
}

/** Base64 blob that may be split over several tokens; strict alphabet and padding. */
export function base64Blob(tokens: Token[], what: string): Buffer {
  const s = tokens.map((t) => t.text).join("");
  if (!isBase64(s)) throw new DnsFormatError("bad_rdata", `${what} is not valid base64`);
  return Buffer.from(s, "base64");
}

export function isBase64(s: string): boolean {
  return (
    s.length > 0 &&
    s.length % 4 === 0 &&
    /^[A-Za-z0-9+/]*={0,2}$/.test(s) &&
    Buffer.from(s, "base64").toString("base64") === s
  );
}

/** Checks a digest or fingerprint length against the one its type number fixes. */
export function digestLength(
  got: Buffer,
  kind: number,
  lengths: Record<number, number>,
  what: string,
): void {
  const want = lengths[kind];
  if (want !== undefined && got.length !== want)
    throw new DnsFormatError(
      "bad_digest_length",
      `${what} type ${kind} needs ${want} octets, got ${got.length}`,
    );
}

/** DNSSEC algorithm mnemonics (RFC 4034 App. A.1, RFC 8624 registry). */
export const ALGORITHMS: Record<string, number> = {
  RSAMD5: 1,
  DH: 2,
  DSA: 3,
  RSASHA1: 5,
  "DSA-NSEC3-SHA1": 6,
  "RSASHA1-NSEC3-SHA1": 7,
  RSASHA256: 8,
  RSASHA512: 10,
  "ECC-GOST": 12,
  ECDSAP256SHA256: 13,
  ECDSAP384SHA384: 14,
  ED25519: 15,
  ED448: 16,
  INDIRECT: 252,
  PRIVATEDNS: 253,
  PRIVATEOID: 254,
};
