// Tokeniser for RDATA presentation text: whitespace-separated tokens, "quoted strings" with
// backslash escapes kept raw so the caller decides how to interpret them.

import { DnsFormatError } from "./errors.ts";

export interface Token {
  text: string;
  quoted: boolean;
}

export function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let t = "";
      while (j < s.length && s[j] !== '"') {
        if (s[j] === "\\" && j + 1 < s.length) {
          t += s[j]! + s[j + 1]!;
          j += 2;
          continue;
        }
        t += s[j];
        j++;
      }
      if (j >= s.length) throw new DnsFormatError("bad_rdata", "unterminated quoted string");
      out.push({ text: t, quoted: true });
      i = j + 1;
      continue;
    }
    let t = "";
    while (i < s.length && !/\s/.test(s[i]!)) {
      if (s[i] === "\\" && i + 1 < s.length) {
        t += s[i]! + s[i + 1]!;
        i += 2;
        continue;
      }
      t += s[i];
      i++;
    }
    out.push({ text: t, quoted: false });
  }
  return out;
}

/** Resolves \X and \DDD escapes of a character-string into bytes. */
export function unescapeBytes(t: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 0x5c && i + 1 < t.length) {
      const d = t.slice(i + 1, i + 4);
      if (/^\d{3}$/.test(d) && Number(d) <= 255) {
        out.push(Number(d));
        i += 3;
      } else {
        out.push(t.charCodeAt(i + 1) & 0xff);
        i += 1;
      }
      continue;
    }
    if (c > 0x7f) {
      for (const b of Buffer.from(t[i]!, "utf8")) out.push(b);
      continue;
    }
    out.push(c);
  }
  return Buffer.from(out);
}

/** Quoted presentation form of a character-string. */
export function quoteBytes(b: Uint8Array): string {
  let s = '"';
  for (const x of b) {
    if (x === 0x22 || x === 0x5c) s += `\\${String.fromCharCode(x)}`;
    else if (x < 0x20 || x > 0x7e) s += `\\${x.toString().padStart(3, "0")}`;
    else s += String.fromCharCode(x);
  }
  return `${s}"`;
}
