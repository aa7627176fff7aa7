// IPv4/IPv6 text ↔ bytes without dependencies; canonical text follows RFC 5952.

import { isIPv4, isIPv6 } from "node:net";
import { DnsFormatError } from "./errors.ts";

export function ipv4ToBytes(s: string): Buffer {
  if (!isIPv4(s)) throw new DnsFormatError("bad_rdata", `not an IPv4 address: ${s}`);
  return Buffer.from(s.split(".").map(Number));
}

export function ipv6ToBytes(s: string): Buffer {
  if (!isIPv6(s) || s.includes("%"))
    throw new DnsFormatError("bad_rdata", `not an IPv6 address: ${s}`);
  let text = s;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = ipv4ToBytes(v4[1]!);
    tail.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
    text = text.slice(0, -v4[1]!.length);
    if (text.endsWith(":") && !text.endsWith("::")) text = text.slice(0, -1);
  }
  const [head, rest] = text.includes("::") ? text.split("::") : [text, undefined];
  const parse = (p: string | undefined) => (p ? p.split(":").filter((x) => x !== "") : []);
  const h = parse(head).map((x) => Number.parseInt(x, 16));
  const r = parse(rest).map((x) => Number.parseInt(x, 16));
  const words = [...h];
  if (rest !== undefined) {
    const fill = 8 - h.length - r.length - tail.length;
    for (let i = 0; i < fill; i++) words.push(0);
    words.push(...r);
  }
  words.push(...tail);
  const out = Buffer.alloc(16);
  for (let i = 0; i < 8; i++) out.writeUInt16BE(words[i] ?? 0, i * 2);
  return out;
}

export function bytesToIpv4(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

export function bytesToIpv6(b: Uint8Array): string {
  const w: number[] = [];
  for (let i = 0; i < 16; i += 2) w.push((b[i]! << 8) | b[i + 1]!);
  // Longest run of zero words (length ≥ 2) becomes "::".
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(":");
  if (bestStart < 0) return hex(w);
  return `${hex(w.slice(0, bestStart))}::${hex(w.slice(bestStart + bestLen))}`;
}
