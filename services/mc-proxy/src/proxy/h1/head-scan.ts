// Fast paths of the HTTP/1.x head parser (parse-head.ts) for the common shapes: start lines read
// without regular expressions, and well-known header names recognised in place (no slice, no
// lower-casing). Each either gives exactly the answer of the general path or declines.
import type { Head } from "./head.ts";

/** tchar (RFC 9110 5.6.2) by character code; 2 marks the upper-case letters. */
export const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 65; c <= 90; c++) TCHAR[c] = 2;

/**
 * Header names common enough to be worth recognising without slicing and lower-casing: a name
 * matching one of these (in any letter case) is returned as this constant string, which also
 * keeps its hash for the Set and Map lookups that follow. Must include every name the parser acts
 * on (content-length, transfer-encoding, connection, host, upgrade): others skip that step.
 */
const KNOWN_NAMES = [
  "accept",
  "accept-encoding",
  "accept-language",
  "accept-ranges",
  "access-control-allow-origin",
  "age",
  "authorization",
  "cache-control",
  "connection",
  "content-encoding",
  "content-length",
  "content-type",
  "cookie",
  "date",
  "etag",
  "expires",
  "host",
  "if-modified-since",
  "if-none-match",
  "keep-alive",
  "last-modified",
  "location",
  "origin",
  "pragma",
  "referer",
  "server",
  "set-cookie",
  "strict-transport-security",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "vary",
  "via",
  "x-content-type-options",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-frame-options",
  "x-real-ip",
  "x-request-id",
];
/** KNOWN_BY_LENGTH[n]: the known names of n characters. */
const KNOWN_BY_LENGTH: (string[] | undefined)[] = [];
for (const k of KNOWN_NAMES) {
  const list = KNOWN_BY_LENGTH[k.length];
  if (list === undefined) KNOWN_BY_LENGTH[k.length] = [k];
  else list.push(k);
}

/**
 * The known name text[s, e) spells, ignoring letter case; undefined when none. The caller has
 * checked that every character is a tchar, so `c | 0x20` can only equal a lower-case letter for
 * that letter in either case, and only equal "-" for "-" itself.
 */
export function knownName(text: string, s: number, e: number): string | undefined {
  const list = KNOWN_BY_LENGTH[e - s];
  if (list === undefined) return undefined;
  for (let k = 0; k < list.length; k++) {
    const cand = list[k] as string;
    let i = 0;
    while (i < cand.length && (text.charCodeAt(s + i) | 0x20) === cand.charCodeAt(i)) i++;
    if (i === cand.length) return cand;
  }
  return undefined;
}

/** "HTTP/1.x " at `text` start: the minor version, or -1. */
function httpVersion(t: string, at: number): number {
  if (
    t.charCodeAt(at) !== 72 || // H
    t.charCodeAt(at + 1) !== 84 || // T
    t.charCodeAt(at + 2) !== 84 || // T
    t.charCodeAt(at + 3) !== 80 || // P
    t.charCodeAt(at + 4) !== 47 || // /
    t.charCodeAt(at + 5) !== 49 || // 1
    t.charCodeAt(at + 6) !== 46 // .
  )
    return -1;
  const m = t.charCodeAt(at + 7);
  return m === 48 || m === 49 ? m - 48 : -1;
}

/**
 * The common status line "HTTP/1.x NNN reason" read without a regular expression; false (head
 * untouched) for anything else, which then goes to RESPONSE_LINE and gets the same answer.
 */
export function fastStatusLine(start: string, head: Head): boolean {
  const len = start.length;
  if (len < 12 || start.charCodeAt(8) !== 32) return false;
  const minor = httpVersion(start, 0);
  if (minor < 0) return false;
  const d0 = start.charCodeAt(9) - 48;
  const d1 = start.charCodeAt(10) - 48;
  const d2 = start.charCodeAt(11) - 48;
  if (d0 < 1 || d0 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return false;
  if (len > 12) {
    if (start.charCodeAt(12) !== 32) return false;
    for (let i = 13; i < len; i++) {
      const c = start.charCodeAt(i);
      if ((c < 32 && c !== 9) || c === 127) return false;
    }
  }
  head.minor = minor;
  head.status = d0 * 100 + d1 * 10 + d2;
  head.reason = len > 12 ? start.slice(13) : "";
  return true;
}

/** The common request line "METHOD target HTTP/1.x" without a regular expression (see above). */
export function fastRequestLine(start: string, head: Head): boolean {
  const sp1 = start.indexOf(" ");
  if (sp1 <= 0) return false;
  for (let i = 0; i < sp1; i++) {
    const c = start.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) return false;
  }
  const sp2 = start.indexOf(" ", sp1 + 1);
  if (sp2 < 0 || sp2 === sp1 + 1 || start.length !== sp2 + 9) return false;
  for (let i = sp1 + 1; i < sp2; i++) {
    const c = start.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  const minor = httpVersion(start, sp2 + 1);
  if (minor < 0) return false;
  head.method = start.slice(0, sp1);
  head.target = start.slice(sp1 + 1, sp2);
  head.minor = minor;
  return true;
}
