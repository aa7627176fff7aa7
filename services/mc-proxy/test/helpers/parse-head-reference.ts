// The first, regex-based version of the strict head parser (parse-head.ts), kept unchanged as the
// oracle of the differential fuzz test: the optimised parser must give exactly its answers.

import type { Head } from "../../src/proxy/h1/head.ts";
import type { HeadResult } from "../../src/proxy/h1/parse-head.ts";

const MAX_HEAD_BYTES = 32 * 1024;
const MAX_HEADERS = 200;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([\x21-\x7e]+) HTTP\/1\.([01])$/;
const RESPONSE_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: ([\t\x20-\x7e\x80-\xff]*))?$/;
const DIGITS = /^\d{1,15}$/;

const fail = (status: 400 | 431 | 501 | 505, reason: string): HeadResult => ({
  kind: "error",
  status,
  reason,
});

export function referenceParseRequestHead(buf: Buffer, max = MAX_HEAD_BYTES): HeadResult {
  return parse(buf, max, true);
}

export function referenceParseResponseHead(buf: Buffer, max = MAX_HEAD_BYTES): HeadResult {
  return parse(buf, max, false);
}

function parse(buf: Buffer, max: number, request: boolean): HeadResult {
  const end = buf.indexOf("\r\n\r\n");
  if (end < 0) {
    if (buf.length > max) return fail(431, "head too large");
    // A bare LF can never become valid: refuse it now instead of waiting for more bytes.
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1))
      if (i === 0 || buf[i - 1] !== 13) return fail(400, "bare LF in head");
    return { kind: "need_more" };
  }
  if (end + 4 > max) return fail(431, "head too large");
  const text = buf.toString("latin1", 0, end);
  const lines = text.split("\r\n");
  const start = lines[0] as string;
  const head: Head = {
    method: "",
    target: "",
    status: 0,
    reason: "",
    minor: 1,
    names: [],
    values: [],
    consumed: end + 4,
    contentLength: -1,
    chunked: false,
    transferEncoding: undefined,
    close: false,
    upgrade: false,
    connectionTokens: null,
    host: undefined,
  };
  if (request) {
    const m = REQUEST_LINE.exec(start);
    if (m === null) {
      if (/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ [\x21-\x7e]+ HTTP\/\d\.\d$/.test(start))
        return fail(505, "unsupported HTTP version");
      return fail(400, "bad request line");
    }
    head.method = m[1] as string;
    head.target = m[2] as string;
    head.minor = Number(m[3]);
    if (head.target[0] !== "/" && !(head.target === "*" && head.method === "OPTIONS"))
      return fail(400, "request target must be origin-form");
  } else {
    const m = RESPONSE_LINE.exec(start);
    if (m === null) return fail(400, "bad status line");
    head.minor = Number(m[1]);
    head.status = Number(m[2]);
    head.reason = m[3] ?? "";
  }
  if (lines.length - 1 > MAX_HEADERS) return fail(431, "too many headers");
  let keepAlive = false;
  let upgradeToken = false;
  let hasUpgrade = false;
  let sawCl = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(":");
    if (colon <= 0) return fail(400, "bad header line");
    const rawName = line.slice(0, colon);
    if (!TOKEN.test(rawName)) return fail(400, "bad header name");
    const value = line.slice(colon + 1).replace(/^[\t ]+|[\t ]+$/g, "");
    if (badValue(value)) return fail(400, "bad header value");
    const name = rawName.toLowerCase();
    head.names.push(name);
    head.values.push(value);
    switch (name) {
      case "content-length":
        if (sawCl || !DIGITS.test(value)) return fail(400, "bad content-length");
        sawCl = true;
        head.contentLength = Number(value);
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

/** Field values: visible ASCII, obs-text, SP and HTAB; any other control character is refused. */
function badValue(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127) return true;
  }
  return false;
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
