import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fuzzSeed, replayHint, rng } from "@metacircular/testkit";
import {
  referenceParseRequestHead,
  referenceParseResponseHead,
} from "../../../test/helpers/parse-head-reference.ts";
import { type HeadResult, parseRequestHead, parseResponseHead } from "./parse-head.ts";

const req = (s: string) => parseRequestHead(Buffer.from(s, "latin1"));
const res = (s: string) => parseResponseHead(Buffer.from(s, "latin1"));

function ok(r: HeadResult) {
  assert.equal(r.kind, "ok", JSON.stringify(r));
  return (r as Extract<HeadResult, { kind: "ok" }>).head;
}

function status(r: HeadResult): number {
  assert.equal(r.kind, "error", JSON.stringify(r));
  return (r as Extract<HeadResult, { kind: "error" }>).status;
}

describe("parseRequestHead", () => {
  it("parses a request line, headers and framing facts", () => {
    const text =
      "POST /a?b=1 HTTP/1.1\r\nHost: x.test\r\nContent-Length: 5\r\nX-A:  v  \r\nConnection: keep-alive, X-Hop\r\n\r\nhello";
    const h = ok(req(text));
    assert.equal(h.method, "POST");
    assert.equal(h.target, "/a?b=1");
    assert.equal(h.minor, 1);
    assert.equal(h.host, "x.test");
    assert.equal(h.contentLength, 5);
    assert.equal(h.chunked, false);
    assert.equal(h.close, false);
    assert.deepEqual(h.connectionTokens, ["x-hop"]);
    assert.equal(h.values[h.names.indexOf("x-a")], "v");
    assert.equal(h.consumed, text.length - 5);
  });

  it("waits for the blank line", () => {
    assert.equal(req("GET / HTTP/1.1\r\nHost: a\r\n").kind, "need_more");
  });

  it("knows HTTP/1.0, chunked, close and upgrade", () => {
    assert.equal(ok(req("GET / HTTP/1.0\r\n\r\n")).close, true);
    assert.equal(ok(req("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")).close, false);
    const c = ok(req("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"));
    assert.equal(c.chunked, true);
    assert.equal(c.contentLength, -1);
    const u = ok(
      req("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"),
    );
    assert.equal(u.upgrade, true);
    assert.equal(ok(req("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n")).upgrade, false);
  });

  it("refuses smuggling vectors with 400 (or 501 for unknown codings)", () => {
    const cases: [string, number][] = [
      [
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
        400,
      ],
      ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n", 400],
      ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\n", 400],
      ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\n", 400],
      ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x3\r\n\r\n", 400],
      ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length : 3\r\n\r\n", 400],
      ["POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n", 400],
      [
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n",
        400,
      ],
      ["POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501],
      ["POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n", 501],
      ["POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n", 501],
      ["GET / HTTP/1.1\r\nHost: a\r\n X-Folded: yes\r\n\r\n", 400],
      ["GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rX-B: c\r\n\r\n", 400],
      ["GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x00\r\n\r\n", 400],
      ["GET / HTTP/1.1\nHost: a\n\n", 400],
      ["GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", 400],
      ["GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400],
      ["GET / HTTP/1.1\r\n\r\n", 400],
      ["GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400],
      ["GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400],
      ["GET http://evil/ HTTP/1.1\r\nHost: a\r\n\r\n", 400],
      ["G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400],
      ["GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505],
      ["\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400],
      ["GET / HTTP/1.1\r\n: empty\r\nHost: a\r\n\r\n", 400],
    ];
    for (const [text, want] of cases) assert.equal(status(req(text)), want, JSON.stringify(text));
  });

  it("limits the head size and header count", () => {
    assert.equal(status(req(`GET / HTTP/1.1\r\nX: ${"a".repeat(40_000)}`)), 431);
    const many = Array.from({ length: 300 }, (_, i) => `X-${i}: v\r\n`).join("");
    assert.equal(status(req(`GET / HTTP/1.1\r\nHost: a\r\n${many}\r\n`)), 431);
  });
});

describe("parseResponseHead", () => {
  it("parses status lines and framing", () => {
    const h = ok(res("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"));
    assert.equal(h.status, 200);
    assert.equal(h.reason, "OK");
    assert.equal(h.contentLength, 10);
    assert.equal(ok(res("HTTP/1.1 204\r\n\r\n")).reason, "");
    assert.equal(ok(res("HTTP/1.0 200 OK\r\n\r\n")).close, true);
    const te = ok(res("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"));
    assert.equal(te.chunked, true);
    assert.equal(te.transferEncoding, "gzip, chunked");
    // Transfer-Encoding wins over Content-Length, and the connection is not reused.
    const both = ok(
      res("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"),
    );
    assert.equal(both.contentLength, -1);
    assert.equal(both.close, true);
    assert.equal(res("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n").kind, "error");
    assert.equal(res("HTTP/1.1 99 Low\r\n\r\n").kind, "error");
    assert.equal(res("HTTP/1.1 200 OK\nX: y\n\n").kind, "error");
  });
});

describe("parser fuzz", () => {
  it("never throws and never accepts a head with bare CR/LF or control bytes in it", () => {
    const base = Buffer.from(
      "POST /p HTTP/1.1\r\nHost: a.test\r\nContent-Length: 12\r\nX-Y: z\r\n\r\nbody",
      "latin1",
    );
    const alphabet = Buffer.from("\r\n :\t\x00\x7f,;0aZ-/", "latin1");
    const seed = fuzzSeed();
    const random = rng(seed);
    for (let i = 0; i < 4000; i++) {
      const b = Buffer.from(base);
      const n = 1 + (i % 4);
      const rnd = random.bytes(n * 3);
      for (let k = 0; k < n; k++) {
        const pos = (rnd[k * 3] as number) % (b.length - 4);
        const pick = rnd[k * 3 + 1] as number;
        b[pos] =
          pick & 1 ? (alphabet[pick % alphabet.length] as number) : (rnd[k * 3 + 2] as number);
      }
      for (const parse of [parseRequestHead, parseResponseHead]) {
        const r = parse(b);
        if (r.kind !== "ok") continue;
        const h = r.head;
        assert.ok(h.consumed <= b.length, replayHint(seed));
        for (const v of [...h.names, ...h.values, h.target]) {
          const bad = [...v].some((ch) => ch < " " && ch !== "\t");
          assert.ok(!bad, `${JSON.stringify(v)}, ${replayHint(seed)}`);
        }
        assert.ok(!(h.chunked && h.contentLength >= 0) || parse === parseResponseHead);
        if (parse === parseRequestHead) assert.ok(h.contentLength === -1 || h.contentLength >= 0);
      }
    }
  });

  it("list elements lose SP and HTAB only: U+00A0 before a coding or token is not whitespace", () => {
    // String#trim would strip the latin1 0xA0 and take "\xa0chunked" for chunked, which llhttp
    // (node:http) and other parsers downstream do not (found by parse-head-llhttp.test.ts).
    const te = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \xa0chunked\r\n\r\n";
    assert.equal(status(req(te)), 501);
    const r = ok(res("HTTP/1.1 200 OK\r\nTransfer-Encoding: \xa0chunked\r\n\r\n"));
    assert.equal(r.chunked, false);
    assert.equal(r.close, true);
    assert.equal(status(req("GET / HTTP/1.1\r\nHost: a\r\nConnection: \xa0close\r\n\r\n")), 400);
    assert.equal(ok(req("GET / HTTP/1.1\r\nHost: a\r\nConnection: x,\tclose\r\n\r\n")).close, true);
  });

  it("gives the same answer however the head is split into reads", () => {
    const text = Buffer.from(
      "GET /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nX: 1\r\n\r\n",
      "latin1",
    );
    for (let cut = 1; cut < text.length; cut++) {
      const first = parseRequestHead(text.subarray(0, cut));
      assert.equal(first.kind, "need_more", `cut ${cut}`);
    }
    assert.equal(ok(parseRequestHead(text)).chunked, true);
  });

  it("answers exactly like the reference parser on mutated heads (differential)", () => {
    const bases = [
      "GET /a?b=1 HTTP/1.1\r\nHost: x.test\r\nUser-Agent: t/1\r\nAccept: */*\r\n\r\n",
      "POST /p HTTP/1.0\r\nHost:  a \r\nContent-Length: 12\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n\r\n",
      "PUT /u HTTP/1.1\r\nhost: b\r\nTransfer-Encoding: chunked\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n",
      "OPTIONS * HTTP/1.1\r\nHost: c\r\nX-Forwarded-For: 1.2.3.4\r\nTE: trailers\r\n\r\n",
      "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 23\r\nConnection: keep-alive\r\n\r\n",
      "HTTP/1.0 404 Not Found\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 4\r\n\r\n",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
      // Known names in mixed case (recognised without lower-casing a copy), near-miss names.
      "GET / HTTP/1.1\r\nHOST: h\r\nuser-AGENT: u\r\nX-Real-IP: 1\r\nX-Forwarded-Proto: http\r\nCookie: c=1\r\nAccept-Encodinh: x\r\n\r\n",
      'HTTP/1.1 304 \r\nETag: "1"\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nVary: *\r\nTrailer: t\r\nDatE: d\r\n\r\n',
      "HTTP/1.1 200\r\nContent-type: a\r\nContent-Typf: b\r\nKeep-Alive: timeout=5\r\n\r\n",
    ].map((t) => Buffer.from(t, "latin1"));
    const alphabet = Buffer.from("\r\n :\t\x00\x7f\x80\xff,;0aZ-/Hh", "latin1");
    const seed = fuzzSeed();
    const rnd = rng(seed).bytes(8000 * 12);
    let r = 0;
    const next = () => rnd[r++ % rnd.length] as number;
    let oks = 0;
    for (let i = 0; i < 8000; i++) {
      let b = Buffer.from(bases[i % bases.length] as Buffer);
      for (let k = 1 + (i % 3); k > 0; k--) {
        const pos = (next() * 256 + next()) % b.length;
        const op = next() % 3;
        const byte = next() & 1 ? (alphabet[next() % alphabet.length] as number) : next();
        if (op === 0) b[pos] = byte;
        else if (op === 1)
          b = Buffer.concat([b.subarray(0, pos), Buffer.of(byte), b.subarray(pos)]);
        else b = Buffer.concat([b.subarray(0, pos), b.subarray(pos + 1)]);
      }
      const got = parseRequestHead(b);
      const where = `${JSON.stringify(b.toString("latin1"))}, ${replayHint(seed)}`;
      assert.deepEqual(got, referenceParseRequestHead(b), where);
      assert.deepEqual(parseResponseHead(b), referenceParseResponseHead(b), where);
      if (got.kind === "ok") oks++;
    }
    assert.ok(oks > 100, `only ${oks} mutated heads parsed`);
    const many = (n: number) =>
      Buffer.from(`GET / HTTP/1.1\r\nHost: a\r\n${"X: v\r\n".repeat(n)}\r\n`, "latin1");
    for (const n of [198, 199, 200, 201])
      assert.deepEqual(parseRequestHead(many(n)), referenceParseRequestHead(many(n)), `${n}`);
    // The shortest possible lines: the header count is still checked before anything else.
    for (const n of [199, 200, 201, 202]) {
      const tiny = Buffer.from(`GET / HTTP/1.1${"\r\na".repeat(n)}\r\n\r\n`, "latin1");
      assert.deepEqual(parseRequestHead(tiny), referenceParseRequestHead(tiny), `tiny ${n}`);
    }
    const conn = ["keep-alive", "Keep-Alive", "close", "Close", "CLOSE", "close, x-a", " close"];
    for (const v of conn) {
      const b = Buffer.from(`GET / HTTP/1.0\r\nHost: a\r\nConnection: ${v}\r\n\r\n`, "latin1");
      assert.deepEqual(parseRequestHead(b), referenceParseRequestHead(b), v);
    }
  });
});
