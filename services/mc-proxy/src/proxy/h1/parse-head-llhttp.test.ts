// Differential fuzz of the lean head parser against llhttp, the parser of node:http, on the same
// bytes (seeded: MC_FUZZ_SEED replays a run). Where both accept a head they must agree on the
// method, target, version, header list, keep-alive and upgrade, and on where the message ends
// (the bytes after it are parsed as the next message by both). Where they disagree on
// acceptance, only the deliberate differences listed below are allowed: the lean parser is
// stricter than llhttp in a few places and accepts any token as a method.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fuzzSeed, type Rng, replayHint, rng } from "@metacircular/testkit";
import { type LlResult, llhttpParse } from "../../../test/helpers/llhttp.ts";
import type { Head } from "./head.ts";
import { type HeadResult, parseRequestHead, parseResponseHead } from "./parse-head.ts";

/** Our refusals of heads llhttp accepts: each is a rule of the lean path, not an accident. */
const STRICTER = new Set([
  "request target must be origin-form", // a reverse proxy takes no absolute-form or authority-form
  "missing host", // RFC 9112 §3.2 (node:http's server refuses it too, after the parser)
  "repeated host",
  "bad connection token",
  "unsupported transfer-encoding", // requests: "chunked" only
  "bad request line", // exactly one SP between the parts, visible ASCII in the target
  "bad status line", // no control characters in the reason phrase
  "too many headers",
  "repeated transfer-encoding",
  "unsupported HTTP version", // HTTP/1.0 and 1.1 only (llhttp also takes 0.9 and 2.0 here)
]);

const REQUESTS = [
  "GET /a?b=1 HTTP/1.1\r\nHost: x.test\r\nUser-Agent: t/1\r\nAccept: */*\r\n\r\n",
  "POST /p HTTP/1.0\r\nHost:  a \r\nContent-Length: 12\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n\r\n",
  "PUT /u HTTP/1.1\r\nhost: b\r\nTransfer-Encoding: chunked\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n",
  "OPTIONS * HTTP/1.1\r\nHost: c\r\nX-Forwarded-For: 1.2.3.4\r\nTE: trailers\r\n\r\n",
  "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\n",
  "GET /ws HTTP/1.1\r\nHost: w\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
];
const RESPONSES = [
  "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 23\r\nConnection: keep-alive\r\n\r\n",
  "HTTP/1.0 404 Not Found\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 4\r\n\r\n",
  "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
  'HTTP/1.1 304 \r\nETag: "1"\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n\r\n',
  "HTTP/1.1 200\r\nTransfer-Encoding: chunked\r\nTrailer: x\r\n\r\n",
];
const ALPHABET = Buffer.from("\r\n :\t\x00\x7f\x80\xff,;0aZ-/Hh", "latin1");
const NAMES = ["host", "content-length", "transfer-encoding", "connection", "upgrade", "x-a", "te"];
const VALUES = [
  "1",
  "0",
  "12",
  "chunked",
  "gzip, chunked",
  "close",
  "keep-alive",
  "upgrade",
  "a, b",
];

function mutate(r: Rng, base: string): Buffer {
  let b = Buffer.from(base, "latin1");
  for (let k = 1 + r.int(3); k > 0; k--) {
    const pos = r.int(b.length);
    const op = r.int(3);
    const byte = r.next() < 0.5 ? (ALPHABET[r.int(ALPHABET.length)] as number) : r.int(256);
    if (op === 0) b[pos] = byte;
    else if (op === 1) b = Buffer.concat([b.subarray(0, pos), Buffer.of(byte), b.subarray(pos)]);
    else b = Buffer.concat([b.subarray(0, pos), b.subarray(pos + 1)]);
  }
  return b;
}

/** A head built from parts: framing headers in random combinations and spellings. */
function compose(r: Rng, request: boolean): Buffer {
  const start = request
    ? `${r.pick(["GET", "POST", "PUT", "DELETE", "PATCH"])} ${r.pick(["/", "/a?b", "/x%20y"])} HTTP/1.${r.int(2)}`
    : `HTTP/1.${r.int(2)} ${r.pick(["200 OK", "204 No Content", "404 Not Found", "500 x"])}`;
  const lines = [start];
  if (request && r.next() < 0.9) lines.push(`Host: h${r.int(3)}`);
  for (let n = r.int(5); n > 0; n--) {
    const name = r.pick(NAMES);
    const cased = r.next() < 0.3 ? name.toUpperCase() : name;
    lines.push(`${cased}:${r.pick(["", " ", "  ", "\t"])}${r.pick(VALUES)}${r.pick(["", " "])}`);
  }
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
}

const ok = (r: HeadResult): Head | null => (r.kind === "ok" ? r.head : null);
const text = (b: Buffer): string => b.toString("latin1");

/** What follows the head in a pipelined exchange, by our framing: its body, then a next message. */
function continuation(h: Head, request: boolean): Buffer | null {
  if (h.upgrade || h.close || h.contentLength > 4096) return null;
  if (!request && (h.status < 200 || h.status === 204 || h.status === 304)) return null;
  let body = "";
  if (h.chunked) body = "3\r\nabc\r\n0\r\n\r\n";
  else if (h.contentLength >= 0) body = "x".repeat(h.contentLength);
  else if (!request) return null; // a response without framing runs to the end of the connection
  const next = request ? "GET /next HTTP/1.1\r\nHost: n\r\n\r\n" : "HTTP/1.1 204 No\r\n\r\n";
  return Buffer.from(body + next, "latin1");
}

function compare(b: Buffer, request: boolean, where: string): "both" | "one" | "none" {
  const ours = request ? parseRequestHead(b) : parseResponseHead(b);
  let ll: LlResult = llhttpParse(b, request);
  const h = ok(ours);
  if (ours.kind === "need_more") {
    assert.equal(ll.head, null, `${where}: llhttp completed a head we wait on`);
    return "none";
  }
  if (h === null) {
    if (ll.head === null || ll.error !== null) return "none";
    const reason = ours.kind === "error" ? ours.reason : "";
    assert.ok(STRICTER.has(reason), `${where}: we refuse (${reason}) what llhttp accepts`);
    return "one";
  }
  if (ll.error === "HPE_INVALID_METHOD" && request) {
    // Any token is a method to us; llhttp knows a fixed list. Compare the rest under PATCH.
    const alt = Buffer.concat([Buffer.from("PATCH"), b.subarray(h.method.length)]);
    const hp = ok(parseRequestHead(alt));
    assert.ok(hp !== null, `${where}: the head with PATCH as its method`);
    return compareHeads(hp, llhttpParse(alt, true), alt, request, `${where} (as PATCH)`);
  }
  const clWithTe =
    ll.error === "HPE_INVALID_CONTENT_LENGTH" || ll.error === "HPE_INVALID_TRANSFER_ENCODING";
  if (!request && clWithTe && h.transferEncoding !== undefined) {
    // A response with Content-Length and a non-chunked Transfer-Encoding: llhttp refuses it, we
    // read it to the connection's end and never reuse the connection (RFC 9112 §6.3).
    assert.equal(h.close, true, where);
    return "one";
  }
  if (ll.error === "HPE_INVALID_CONTENT_LENGTH" && /content-length:[^\r]*\t\r\n/i.test(text(b))) {
    // HTAB after the digits is optional whitespace (RFC 9110 §5.6.3) to us, an error to llhttp;
    // the value is forwarded trimmed, so no parser downstream sees the tab.
    return "one";
  }
  ll = ll.head !== null && ll.error === null ? ll : llhttpParse(b.subarray(0, h.consumed), request);
  return compareHeads(h, ll, b, request, where);
}

/**
 * llhttp matches the Connection and Transfer-Encoding tokens itself, and an HTAB after a token
 * ("chunked<HTAB>", "keep-alive<HTAB>,") makes it a different token to it; an HTTP/1.0 "close"
 * loses to "keep-alive". We follow RFC 9110 (OWS around list elements, trimmed values), close
 * whenever "close" is listed, and re-serialise these headers for the next hop, so these shapes
 * may differ in keep-alive, upgrade and framing, and nothing else.
 */
function tokenQuirk(b: Buffer, h: Head): boolean {
  if (/\r\n(connection|transfer-encoding):[^\r]*\t/i.test(text(b))) return true;
  const conn = h.names.flatMap((n, i) => (n === "connection" ? [h.values[i] as string] : []));
  const all = conn.join(",").toLowerCase();
  return all.includes("close") && all.includes("keep-alive");
}

function compareHeads(h: Head, ll: LlResult, b: Buffer, request: boolean, where: string) {
  const lh = ll.head;
  assert.ok(
    lh !== null && ll.error === null,
    `${where}: we accept what llhttp refuses (${ll.error})`,
  );
  assert.equal(h.method, request ? lh.method : "", where);
  assert.equal(h.target, request ? lh.target : "", where);
  assert.equal(h.status, request ? 0 : lh.status, where);
  assert.equal(h.minor, lh.minor, where);
  assert.deepEqual(
    h.names.map((n, i) => [n, h.values[i]]),
    lh.headers,
    `${where}: header lists differ`,
  );
  // A response upgrades only with 101 (the lean path switches on the status, not on this flag).
  const quirk = tokenQuirk(b, h);
  if (request && !quirk) {
    assert.equal(lh.upgrade, h.upgrade, `${where}: upgrade`);
    assert.equal(lh.keepAlive, !h.close, `${where}: keep-alive`);
  }
  const rest = quirk ? null : continuation(h, request);
  if (rest !== null) {
    const both = llhttpParse(Buffer.concat([b.subarray(0, h.consumed), rest]), request);
    assert.equal(both.error, null, `${where}: llhttp on the framed continuation`);
    assert.equal(both.heads, 2, `${where}: the next message starts where ours says`);
    assert.equal(both.messages, 2, `${where}: messages`);
  }
  return "both" as const;
}

describe("HTTP/1.1 head parser vs llhttp (node:http) — differential fuzz", () => {
  for (const request of [true, false]) {
    it(`${request ? "requests" : "responses"}: mutated and composed heads`, () => {
      const seed = fuzzSeed();
      const r = rng(seed);
      const tally = { both: 0, one: 0, none: 0 };
      for (let i = 0; i < 6000; i++) {
        const b =
          i % 3 === 2 ? compose(r, request) : mutate(r, r.pick(request ? REQUESTS : RESPONSES));
        const where = `case ${i}, ${replayHint(seed)}: ${JSON.stringify(b.toString("latin1"))}`;
        tally[compare(b, request, where)]++;
      }
      // The corpus reaches agreement and every kind of refusal, not just one of them.
      assert.ok(tally.both > 1000, `${JSON.stringify(tally)}, ${replayHint(seed)}`);
      assert.ok(tally.none > 1000, `${JSON.stringify(tally)}, ${replayHint(seed)}`);
    });
  }
});
