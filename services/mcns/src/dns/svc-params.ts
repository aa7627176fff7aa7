// SvcParams of SVCB/HTTPS (RFC 9460 §2.1, §7, Appendix A): presentation scanning, value-list
// decoding, per-key value codecs and the self-consistency rules. Errors carry `bad_svcparam`.

import { DnsFormatError } from "./errors.ts";
import { bytesToIpv4, bytesToIpv6, ipv4ToBytes, ipv6ToBytes } from "./ip.ts";
import { isBase64, u16 } from "./rdata-fields.ts";
import { quoteBytes, unescapeBytes } from "./text-tokens.ts";

export const KEY = {
  mandatory: 0,
  alpn: 1,
  "no-default-alpn": 2,
  port: 3,
  ipv4hint: 4,
  ech: 5,
  ipv6hint: 6,
} as const;
const KEY_NAMES = Object.keys(KEY) as Array<keyof typeof KEY>;

const fail = (msg: string): never => {
  throw new DnsFormatError("bad_svcparam", msg);
};

export function keyNumber(name: string): number {
  const k = (KEY as Record<string, number>)[name.toLowerCase()];
  if (k !== undefined) return k;
  const m = /^key(\d{1,5})$/i.exec(name);
  if (!m) return fail(`unknown SvcParamKey ${JSON.stringify(name)}`);
  const n = Number(m[1]);
  if (n > 65534) fail(`SvcParamKey ${name} is out of range (65535 is reserved)`);
  return n;
}

export const keyName = (k: number): string => KEY_NAMES[k] ?? `key${k}`;

/** One `key[=value]` item of the presentation form, value still escaped. */
export interface RawParam {
  key: string;
  value?: string;
}

/** Scans `key`, `key=value` and `key="quoted value"` items separated by whitespace. */
export function scanParams(s: string): RawParam[] {
  const out: RawParam[] = [];
  let i = 0;
  const ws = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r";
  while (i < s.length) {
    if (ws(s[i])) {
      i++;
      continue;
    }
    let key = "";
    while (i < s.length && !ws(s[i]) && s[i] !== "=") key += s[i++];
    if (s[i] !== "=") {
      out.push({ key });
      continue;
    }
    i++;
    let value = "";
    if (s[i] === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === "\\" && i + 1 < s.length) value += s[i++];
        value += s[i++];
      }
      if (i >= s.length) fail(`unterminated quoted value for ${key}`);
      i++;
    } else {
      while (i < s.length && !ws(s[i])) {
        if (s[i] === "\\" && i + 1 < s.length) value += s[i++];
        value += s[i++];
      }
    }
    out.push({ key, value });
  }
  return out;
}

/** RFC 9460 A.1 value-list: items split on commas, `\,` and `\\` escape within an item. */
export function splitValueList(b: Buffer): Buffer[] {
  const items: Buffer[] = [];
  let cur: number[] = [];
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x5c && i + 1 < b.length) {
      cur.push(b[++i]!);
      continue;
    }
    if (c === 0x2c) {
      items.push(Buffer.from(cur));
      cur = [];
      continue;
    }
    cur.push(c);
  }
  items.push(Buffer.from(cur));
  return items;
}

function listOf(value: Buffer, what: string): string[] {
  const items = splitValueList(value).map((x) => x.toString("latin1"));
  if (items.some((x) => x === "")) fail(`${what} has an empty item`);
  return items;
}

/** Wire value of one parameter from its decoded presentation value. */
export function encodeValue(key: number, value: Buffer | undefined): Buffer {
  const name = keyName(key);
  if (key === KEY["no-default-alpn"]) {
    if (value !== undefined && value.length > 0) fail("no-default-alpn takes no value");
    return Buffer.alloc(0);
  }
  if (value === undefined || value.length === 0) {
    if (key > KEY.ipv6hint) return Buffer.alloc(0);
    return fail(`${name} needs a value`);
  }
  switch (key) {
    case KEY.mandatory: {
      const keys = listOf(value, name).map(keyNumber);
      return Buffer.concat(keys.sort((a, b) => a - b).map(u16));
    }
    case KEY.alpn: {
      const ids = splitValueList(value);
      if (ids.some((x) => x.length === 0 || x.length > 255)) fail("alpn ids must be 1-255 octets");
      return Buffer.concat(ids.map((x) => Buffer.concat([Buffer.from([x.length]), x])));
    }
    case KEY.port: {
      const t = value.toString("latin1");
      if (!/^\d{1,5}$/.test(t) || Number(t) > 0xffff) fail(`port must be 0-65535, got ${t}`);
      return u16(Number(t));
    }
    case KEY.ipv4hint:
      return Buffer.concat(listOf(value, name).map(wrapIp(ipv4ToBytes)));
    case KEY.ipv6hint:
      return Buffer.concat(listOf(value, name).map(wrapIp(ipv6ToBytes)));
    case KEY.ech: {
      const t = value.toString("latin1");
      if (!isBase64(t)) fail("ech must be base64 (an ECHConfigList)");
      return Buffer.from(t, "base64");
    }
    default:
      return value;
  }
}

const wrapIp = (fn: (s: string) => Buffer) => (s: string) => {
  try {
    return fn(s);
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
};

/** Decoded presentation value of a raw (escaped) value: char-string escapes resolved. */
export const decodeValue = (raw: string | undefined): Buffer | undefined =>
  raw === undefined ? undefined : unescapeBytes(raw);

/** Canonical presentation of one wire parameter; validates the value's shape. */
export function presentParam(key: number, v: Buffer): string {
  const name = keyName(key);
  const chunks = (size: number) => {
    if (v.length === 0 || v.length % size !== 0) fail(`${name} length ${v.length} is invalid`);
    const out: Buffer[] = [];
    for (let i = 0; i < v.length; i += size) out.push(v.subarray(i, i + size));
    return out;
  };
  switch (key) {
    case KEY.mandatory:
      return `${name}=${chunks(2)
        .map((b) => keyName(b.readUInt16BE(0)))
        .join(",")}`;
    case KEY.alpn:
      return `${name}=${quoteBytes(Buffer.from(alpnList(v)))}`;
    case KEY["no-default-alpn"]:
      if (v.length !== 0) fail("no-default-alpn has a value");
      return name;
    case KEY.port:
      if (v.length !== 2) fail("port must be 2 octets");
      return `${name}=${v.readUInt16BE(0)}`;
    case KEY.ipv4hint:
      return `${name}=${chunks(4).map(bytesToIpv4).join(",")}`;
    case KEY.ipv6hint:
      return `${name}=${chunks(16).map(bytesToIpv6).join(",")}`;
    case KEY.ech:
      if (v.length === 0) fail("ech is empty");
      return `${name}=${v.toString("base64")}`;
    default:
      return v.length === 0 ? name : `${name}=${quoteBytes(v)}`;
  }
}

/** alpn ids as one value-list string (commas and backslashes inside an id escaped). */
function alpnList(v: Buffer): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < v.length) {
    const len = v[i]!;
    if (len === 0 || i + 1 + len > v.length) fail("alpn id length is invalid");
    if (out.length > 0) out.push(0x2c);
    for (const c of v.subarray(i + 1, i + 1 + len)) {
      if (c === 0x2c || c === 0x5c) out.push(0x5c);
      out.push(c);
    }
    i += 1 + len;
  }
  return Uint8Array.from(out);
}

/** RFC 9460 §8: mandatory keys present, not listed twice, not itself; §7.1.1 alpn rule. */
export function checkConsistency(params: Map<number, Buffer>): void {
  const mandatory = params.get(KEY.mandatory);
  if (mandatory) {
    const seen = new Set<number>();
    for (let i = 0; i < mandatory.length; i += 2) {
      const k = mandatory.readUInt16BE(i);
      if (k === KEY.mandatory) fail("mandatory must not list itself");
      if (seen.has(k)) fail(`mandatory lists ${keyName(k)} twice`);
      seen.add(k);
      if (!params.has(k)) fail(`mandatory lists ${keyName(k)}, which is not present`);
    }
  }
  if (params.has(KEY["no-default-alpn"]) && !params.has(KEY.alpn))
    fail("no-default-alpn needs alpn (RFC 9460 §7.1.1)");
}
