// TSIG (RFC 8945) for zone transfers: verifies a signed AXFR/IXFR request and signs every message
// of the response (the first over the request MAC, the rest chained over the prior MAC with
// timers only). HMAC-SHA256/384/512; MACs compared in constant time.

import { createHmac, timingSafeEqual } from "node:crypto";
import { DnsFormatError } from "../dns/errors.ts";
import type { ParsedMessage } from "../dns/message.ts";
import { lowerName, nameToLabels } from "../dns/name.ts";
import { readName } from "../dns/reader.ts";
import { WireWriter } from "../dns/writer.ts";

export const TSIG_TYPE = 250;
const FUDGE = 300;
const ALGORITHMS: Record<string, string> = {
  "hmac-sha256.": "sha256",
  "hmac-sha384.": "sha384",
  "hmac-sha512.": "sha512",
};
export const TSIG_ERROR = { BADSIG: 16, BADKEY: 17, BADTIME: 18 } as const;

export interface TsigKey {
  name: string; // lowercase absolute
  algorithm: string; // "hmac-sha256." etc.
  secret: Buffer;
}

export function tsigKey(name: string, algorithm: string, secretBase64: string): TsigKey {
  const alg = `${algorithm.toLowerCase().replace(/\.$/, "")}.`;
  if (!ALGORITHMS[alg]) throw new Error(`unsupported TSIG algorithm ${algorithm}`);
  const secret = Buffer.from(secretBase64, "base64");
  if (secret.length < 16) throw new Error(`TSIG key ${name}: secret too short`);
  return { name: lowerName(name.endsWith(".") ? name : `${name}.`), algorithm: alg, secret };
}

export interface VerifiedTsig {
  key: TsigKey;
  mac: Buffer;
}

function canonicalName(w: WireWriter, name: string): void {
  w.name(lowerName(name), false);
}

function variables(
  w: WireWriter,
  key: TsigKey,
  time: number,
  fudge: number,
  error: number,
  other: Buffer,
) {
  canonicalName(w, key.name);
  w.u16(255); // class ANY
  w.u32(0); // TTL
  canonicalName(w, key.algorithm);
  timers(w, time, fudge);
  w.u16(error);
  w.u16(other.length);
  w.bytes(other);
}

function timers(w: WireWriter, time: number, fudge: number): void {
  w.u16(Math.floor(time / 2 ** 32));
  w.u32(time % 2 ** 32);
  w.u16(fudge);
}

function hmac(key: TsigKey, data: Buffer): Buffer {
  return createHmac(ALGORITHMS[key.algorithm]!, key.secret).update(data).digest();
}

/**
 * Verifies the TSIG on a request. Returns undefined when the request is unsigned, the verified key
 * and MAC when it is valid; throws TsigError (with the RFC 8945 error) when it is not.
 */
export function verifyRequest(
  buf: Buffer,
  msg: ParsedMessage,
  keys: TsigKey[],
  now = Math.floor(Date.now() / 1000),
): VerifiedTsig | undefined {
  const idx = msg.additional.findIndex((r) => r.type === TSIG_TYPE);
  if (idx < 0) return undefined;
  const rec = msg.additional[idx]!;
  if (idx !== msg.additional.length - 1 || buf.length !== rec.rdOffset + rec.rdLength)
    throw new TsigError(0, "TSIG must be the last record");
  const alg = readName(buf, rec.rdOffset);
  let p = alg.next;
  const time = buf.readUInt16BE(p) * 2 ** 32 + buf.readUInt32BE(p + 2);
  const fudge = buf.readUInt16BE(p + 6);
  const macLen = buf.readUInt16BE(p + 8);
  p += 10;
  if (p + macLen + 6 > buf.length) throw new DnsFormatError("bad_tsig", "TSIG truncated");
  const mac = buf.subarray(p, p + macLen);
  p += macLen;
  const origId = buf.readUInt16BE(p);
  const error = buf.readUInt16BE(p + 2);
  const otherLen = buf.readUInt16BE(p + 4);
  const other = buf.subarray(p + 6, p + 6 + otherLen);
  const key = keys.find(
    (k) => k.name === lowerName(rec.name) && k.algorithm === lowerName(alg.name),
  );
  if (!key) throw new TsigError(TSIG_ERROR.BADKEY, `unknown TSIG key ${rec.name}`);
  // The signed message: without the TSIG record, ARCOUNT - 1, original ID.
  const body = Buffer.from(buf.subarray(0, rec.start));
  body.writeUInt16BE(origId, 0);
  body.writeUInt16BE(body.readUInt16BE(10) - 1, 10);
  const w = new WireWriter(body.length + 128);
  w.bytes(body);
  variables(w, key, time, fudge, error, other);
  const want = hmac(key, w.finish());
  if (mac.length !== want.length || !timingSafeEqual(mac, want))
    throw new TsigError(TSIG_ERROR.BADSIG, "TSIG signature does not verify");
  if (Math.abs(now - time) > fudge)
    throw new TsigError(TSIG_ERROR.BADTIME, "TSIG time outside fudge");
  return { key, mac: Buffer.from(mac) };
}

export class TsigError extends Error {
  constructor(
    readonly tsigError: number,
    message: string,
  ) {
    super(message);
  }
}

/** Signs each message of a response; the first over the request MAC, the rest chained. */
export function signResponses(
  messages: Buffer[],
  req: VerifiedTsig,
  now = Math.floor(Date.now() / 1000),
): Buffer[] {
  let prior = req.mac;
  return messages.map((m, i) => {
    const w = new WireWriter(m.length + 128);
    w.u16(prior.length);
    w.bytes(prior);
    w.bytes(m);
    if (i === 0) variables(w, req.key, now, FUDGE, 0, Buffer.alloc(0));
    else timers(w, now, FUDGE);
    const mac = hmac(req.key, w.finish());
    prior = mac;
    return appendTsig(m, req.key, now, mac);
  });
}

function appendTsig(m: Buffer, key: TsigKey, time: number, mac: Buffer): Buffer {
  const w = new WireWriter(m.length + 128);
  w.bytes(m);
  w.name(nameToLabels(key.name), false);
  w.u16(TSIG_TYPE);
  w.u16(255);
  w.u32(0);
  const lenAt = w.pos;
  w.u16(0);
  const start = w.pos;
  w.name(nameToLabels(key.algorithm), false);
  timers(w, time, FUDGE);
  w.u16(mac.length);
  w.bytes(mac);
  w.u16(m.readUInt16BE(0));
  w.u16(0);
  w.u16(0);
  w.setU16(lenAt, w.pos - start);
  const out = w.finish();
  out.writeUInt16BE(out.readUInt16BE(10) + 1, 10);
  return out;
}
