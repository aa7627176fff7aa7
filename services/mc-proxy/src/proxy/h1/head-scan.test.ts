import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { blankHead, type Head } from "./head.ts";
import { fastRequestLine, fastStatusLine, knownName } from "./head-scan.ts";

const blank = (): Head => blankHead(0);

describe("head fast paths", () => {
  it("recognises every name the parser acts on, in any letter case", () => {
    for (const n of ["content-length", "transfer-encoding", "connection", "host", "upgrade"]) {
      for (const spelled of [n, n.toUpperCase(), n.replace(/(^|-)[a-z]/g, (m) => m.toUpperCase())])
        assert.equal(knownName(`x${spelled}:`, 1, spelled.length + 1), n, spelled);
    }
  });

  it("does not recognise near misses", () => {
    for (const n of ["content-lengtx", "hosts", "hos", "x-real-iq", "Set-Cookie2"])
      assert.equal(knownName(n, 0, n.length), undefined, n);
  });

  it("reads common start lines and declines everything else", () => {
    const r = blank();
    assert.equal(fastStatusLine("HTTP/1.1 200 OK", r), true);
    assert.deepEqual([r.minor, r.status, r.reason], [1, 200, "OK"]);
    const e = blank();
    assert.equal(fastStatusLine("HTTP/1.0 404", e), true);
    assert.deepEqual([e.minor, e.status, e.reason], [0, 404, ""]);
    for (const line of ["HTTP/1.1 099 x", "HTTP/2.0 200 OK", "HTTP/1.1 200\tOK", "HTTP/1.1 20 OK"])
      assert.equal(fastStatusLine(line, blank()), false, line);
    const q = blank();
    assert.equal(fastRequestLine("GET /a?b HTTP/1.1", q), true);
    assert.deepEqual([q.method, q.target, q.minor], ["GET", "/a?b", 1]);
    for (const line of ["GET  / HTTP/1.1", "GET / HTTP/1.2", "G(T / HTTP/1.1", "GET / HTTP/1.1 "])
      assert.equal(fastRequestLine(line, blank()), false, line);
  });
});
