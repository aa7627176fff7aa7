// arch: parser
// Strict HTTP/1.x message-head parser for the lean forwarding path. Only what a proxy needs: the
// start line, the header list (names lower-cased, order kept) and the framing facts. Anything
// ambiguous that could let two parsers disagree (request smuggling) is refused: bare LF, obs-fold,
// whitespace before the colon, control characters, Content-Length together with
// Transfer-Encoding, duplicate or malformed Content-Length, request codings other than "chunked".
// Header lines are scanned character by character (no split, no regex per line); the answers are
// exactly those of the original regex-based parser (test/helpers/parse-head-reference.ts, checked
// by fuzzing), and node:http's own parser (llhttp) is the oracle of parse-head-llhttp.test.ts.

import { blankHead, type Head } from "./head.ts";
import * as scan from "./head-scan.ts";

// Plain local bindings: run from source (tsx's CommonJS transform) every use of an imported
// binding is a getter call, which the per-character loops below would pay on each character.
const { fastRequestLine, fastStatusLine, knownName, TCHAR } = scan;

export type HeadResult =
  | { kind: "ok"; head: Head }
  | { kind: "need_more" }
  | { kind: "error"; status: 400 | 431 | 501 | 505; reason: string };

export const MAX_HEAD_BYTES = 32 * 1024;
const MAX_HEADERS = 200;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([\x21-\x7e]+) HTTP\/1\.([01])$/;
const RESPONSE_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: ([\t\x20-\x7e\x80-\xff]*))?$/;

const HEAD_END = Buffer.from("\r\n\r\n", "latin1");

/** Buffer#latin1Slice (untyped in @types/node): toString("latin1", s, e) without argument parsing. */
type Latin1 = { latin1Slice(start: number, end: number): string };

const fail = (status: 400 | 431 | 501 | 505, reason: string): HeadResult => ({
  kind: "error",
  status,
  reason,
});

export function parseRequestHead(buf: Buffer, max = MAX_HEAD_BYTES): HeadResult {
  return parse(buf, max, true);
}

export function parseResponseHead(buf: Buffer, max = MAX_HEAD_BYTES): HeadResult {
  return parse(buf, max, false);
}

function parse(buf: Buffer, max: number, request: boolean): HeadResult {
  const end = buf.indexOf(HEAD_END);
  if (end < 0) {
    if (buf.length > max) return fail(431, "head too large");
    // A bare LF can never become valid: refuse it now instead of waiting for more bytes.
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1))
      if (i === 0 || buf[i - 1] !== 13) return fail(400, "bare LF in head");
    return { kind: "need_more" };
  }
  if (end + 4 > max) return fail(431, "head too large");
  const text = (buf as unknown as Latin1).latin1Slice(0, end);
  const firstEnd = text.indexOf("\r\n");
  const start = firstEnd < 0 ? text : text.slice(0, firstEnd);
  const head = blankHead(end + 4);
  if (request) {
    const m = fastRequestLine(start, head) ? null : REQUEST_LINE.exec(start);
    if (m !== null) {
      head.method = m[1] as string;
      head.target = m[2] as string;
      head.minor = Number(m[3]);
    } else if (head.method === "") {
      if (/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ [\x21-\x7e]+ HTTP\/\d\.\d$/.test(start))
        return fail(505, "unsupported HTTP version");
      return fail(400, "bad request line");
    }
    if (head.target[0] !== "/" && !(head.target === "*" && head.method === "OPTIONS"))
      return fail(400, "request target must be origin-form");
  } else if (!fastStatusLine(start, head)) {
    const m = RESPONSE_LINE.exec(start);
    if (m === null) return fail(400, "bad status line");
    head.minor = Number(m[1]);
    head.status = Number(m[2]);
    head.reason = m[3] ?? "";
  }
  // Each header line takes at least 3 bytes (CRLF and one character): a short head cannot hold
  // too many, so only longer ones are counted first.
  if (firstEnd >= 0 && text.length - firstEnd > MAX_HEADERS * 3) {
    let count = 0;
    for (let i = text.indexOf("\r\n", firstEnd + 2); i >= 0; i = text.indexOf("\r\n", i + 2))
      if (++count >= MAX_HEADERS) return fail(431, "too many headers");
  }
  let keepAlive = false;
  let upgradeToken = false;
  let hasUpgrade = false;
  let sawCl = false;
  const n = text.length;
  for (let ls = firstEnd < 0 ? n + 2 : firstEnd + 2; ls <= n; ) {
    let le = text.indexOf("\r\n", ls);
    if (le < 0) le = n;
    // name: one or more tchar up to the first colon
    let colon = ls;
    let upper = false;
    for (; colon < le; colon++) {
      const c = text.charCodeAt(colon);
      if (c === 58) break;
      const t = c < 128 ? (TCHAR[c] as number) : 0;
      if (t === 0) {
        colon = text.indexOf(":", colon);
        if (colon < 0 || colon >= le) return fail(400, "bad header line");
        return fail(400, "bad header name");
      }
      if (t === 2) upper = true;
    }
    if (colon === ls || colon === le) return fail(400, "bad header line");
    // value: SP/HTAB trimmed at both ends; no control characters
    let vs = colon + 1;
    let ve = le;
    while (vs < ve) {
      const c = text.charCodeAt(vs);
      if (c !== 32 && c !== 9) break;
      vs++;
    }
    while (ve > vs) {
      const c = text.charCodeAt(ve - 1);
      if (c !== 32 && c !== 9) break;
      ve--;
    }
    for (let k = vs; k < ve; k++) {
      const c = text.charCodeAt(k);
      if ((c < 32 && c !== 9) || c === 127) return fail(400, "bad header value");
    }
    const known = knownName(text, ls, colon);
    let name: string;
    if (known === undefined) {
      const raw = text.slice(ls, colon);
      name = upper ? raw.toLowerCase() : raw;
    } else name = known;
    const value = text.slice(vs, ve);
    ls = le + 2;
    head.names.push(name);
    head.values.push(value);
    if (known === undefined) continue; // every name below is a known one
    switch (name) {
      case "content-length":
        // 1 to 15 decimal digits (exact as a double).
        if (sawCl || value.length === 0 || value.length > 15)
          return fail(400, "bad content-length");
        head.contentLength = 0;
        for (let k = 0; k < value.length; k++) {
          const d = value.charCodeAt(k) - 48;
          if (d < 0 || d > 9) return fail(400, "bad content-length");
          head.contentLength = head.contentLength * 10 + d;
        }
        sawCl = true;
        break;
      case "transfer-encoding": {
        if (head.transferEncoding !== undefined) return fail(400, "repeated transfer-encoding");
        head.transferEncoding = value;
        const codings = value.toLowerCase().split(",");
        const last = trimOws(codings[codings.length - 1] as string);
        if (request && (codings.length !== 1 || last !== "chunked"))
          return fail(501, "unsupported transfer-encoding");
        head.chunked = last === "chunked";
        break;
      }
      case "connection":
        // The usual single token needs no split.
        if (value === "keep-alive" || value === "Keep-Alive") {
          keepAlive = true;
          break;
        }
        if (value === "close" || value === "Close") {
          head.close = true;
          break;
        }
        for (const t0 of value.split(",")) {
          const t = trimOws(t0).toLowerCase();
          if (t === "") continue;
          if (t === "close") head.close = true;
          else if (t === "keep-alive") keepAlive = true;
          else if (t === "upgrade") upgradeToken = true;
          else {
            if (!TOKEN.test(t)) return fail(400, "bad connection token");
            head.connectionTokens ??= [];
            head.connectionTokens.push(t);
          }
        }
        break;
      case "host":
        if (head.host !== undefined) return fail(400, "repeated host");
        head.host = value;
        break;
      case "upgrade":
        hasUpgrade = true;
        break;
    }
  }
  if (head.transferEncoding !== undefined && sawCl) {
    if (request) return fail(400, "content-length with transfer-encoding");
    head.contentLength = -1; // RFC 9112 6.3: Transfer-Encoding overrides; never reuse the connection
    head.close = true;
  }
  if (head.transferEncoding !== undefined && !head.chunked) head.close = true;
  if (head.minor === 0 && !keepAlive) head.close = true;
  if (request && head.minor === 1 && head.host === undefined) return fail(400, "missing host");
  head.upgrade = upgradeToken && hasUpgrade;
  return { kind: "ok", head };
}

/**
 * Strips optional whitespace (SP and HTAB only, RFC 9110 §5.6.3) from list elements. Not
 * String#trim, which also strips U+00A0: "\xa0chunked" would pass for chunked here while
 * llhttp and other parsers downstream see an unknown coding.
 */
function trimOws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}
