// The lean HTTP/2 connection over an in-memory socket: handshake, requests and responses, error
// codes for malformed frames, the stream state machine, and the abuse limits.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  frame,
  literalBlock,
  MemSock,
  PREFACE,
  request,
  rst,
  settings,
  windowUpdate,
} from "../../../test/helpers/h2-wire.ts";
import { ERR, FLAG, FRAME } from "./constants.ts";
import { LeanConn } from "./lean-conn.ts";
import type { LeanStream } from "./lean-stream.ts";
import type { RequestHeaders } from "./request-headers.ts";

// The abuse budgets are per second of this clock: it stands still, so a flood test counts
// frames, not how fast a loaded machine feeds them.
const frozenClock = () => 1_000_000;

function open(onStream?: (s: LeanStream, h: RequestHeaders, end: boolean) => void) {
  const sock = new MemSock();
  const streams: { s: LeanStream; h: RequestHeaders; end: boolean }[] = [];
  const conn = new LeanConn(sock, {
    onStream: (s, fields, end) => {
      const h = fields.object();
      streams.push({ s, h, end });
      onStream?.(s, h, end);
    },
    clock: frozenClock,
  });
  sock.feed(PREFACE, settings());
  sock.sent();
  return { sock, conn, streams };
}

function goawayCode(sock: MemSock): number | undefined {
  const g = sock.sent().find((f) => f.type === FRAME.GOAWAY);
  return g?.payload.readUInt32BE(4);
}

describe("lean HTTP/2 connection", () => {
  it("closes with GOAWAY(NO_ERROR) once idle past the deadline, not while a stream is open", () => {
    const { sock, conn, streams } = open();
    sock.feed(request(1, [], false));
    conn.sweep(Number.POSITIVE_INFINITY); // a stream is open: nothing happens
    assert.equal(goawayCode(sock), undefined);
    assert.equal(sock.ended, false);
    streams[0]?.s.respond({ ":status": 204 }, { endStream: true });
    sock.feed(frame(FRAME.DATA, FLAG.END_STREAM, 1, Buffer.alloc(0)));
    sock.sent();
    conn.sweep(-1); // idle, but not for long enough
    assert.equal(goawayCode(sock), undefined);
    conn.sweep(Number.POSITIVE_INFINITY);
    assert.equal(goawayCode(sock), ERR.NO_ERROR);
    assert.equal(sock.ended, true);
  });

  it("sends SETTINGS and a connection WINDOW_UPDATE, ACKs the client's SETTINGS and PINGs", () => {
    const sock = new MemSock();
    new LeanConn(sock, { onStream: () => {} });
    sock.feed(PREFACE, settings([[4, 100_000]]), frame(FRAME.PING, 0, 0, Buffer.alloc(8, 7)));
    const fr = sock.sent();
    assert.equal(fr[0]?.type, FRAME.SETTINGS);
    assert.equal(fr[0]?.flags, 0);
    assert.ok(fr.some((f) => f.type === FRAME.WINDOW_UPDATE && f.id === 0));
    assert.ok(fr.some((f) => f.type === FRAME.SETTINGS && f.flags === FLAG.ACK));
    const pong = fr.find((f) => f.type === FRAME.PING);
    assert.equal(pong?.flags, FLAG.ACK);
    assert.deepEqual(pong?.payload, Buffer.alloc(8, 7));
  });

  it("answers a request: HEADERS then DATA with END_STREAM, request fields decoded", () => {
    const { sock, streams } = open((s) => {
      s.respond({ ":status": 200, "content-type": "text/plain" });
      s.end(Buffer.from("hello"));
    });
    sock.feed(
      request(1, [
        ["x-a", "1"],
        ["cookie", "a=1"],
        ["cookie", "b=2"],
      ]),
    );
    assert.equal(streams[0]?.h[":path"], "/");
    assert.equal(streams[0]?.h.cookie, "a=1; b=2");
    assert.equal(streams[0]?.end, true);
    const fr = sock.sent();
    assert.deepEqual(
      fr.map((f) => [f.type, f.flags, f.id]),
      [
        [FRAME.HEADERS, FLAG.END_HEADERS, 1],
        [FRAME.DATA, FLAG.END_STREAM, 1],
      ],
    );
    assert.equal(fr[1]?.payload.toString(), "hello");
  });

  it("splits a request header block over CONTINUATION frames", () => {
    const { sock, streams } = open();
    const block = literalBlock([
      [":method", "GET"],
      [":scheme", "https"],
      [":path", "/c"],
      ["x-long", "y".repeat(300)],
    ]);
    sock.feed(
      frame(FRAME.HEADERS, FLAG.END_STREAM, 1, block.subarray(0, 10)),
      frame(FRAME.CONTINUATION, 0, 1, block.subarray(10, 100)),
      frame(FRAME.CONTINUATION, FLAG.END_HEADERS, 1, block.subarray(100)),
    );
    assert.equal(streams[0]?.h["x-long"], "y".repeat(300));
  });

  const connErrors: [string, Buffer[], number][] = [
    ["DATA on stream 0", [frame(FRAME.DATA, 0, 0, Buffer.alloc(1))], ERR.PROTOCOL_ERROR],
    ["DATA on an idle stream", [frame(FRAME.DATA, 0, 5, Buffer.alloc(1))], ERR.PROTOCOL_ERROR],
    ["even stream id", [request(2)], ERR.PROTOCOL_ERROR],
    ["PING length", [frame(FRAME.PING, 0, 0, Buffer.alloc(7))], ERR.FRAME_SIZE_ERROR],
    ["SETTINGS length", [frame(FRAME.SETTINGS, 0, 0, Buffer.alloc(5))], ERR.FRAME_SIZE_ERROR],
    ["SETTINGS ACK payload", [frame(FRAME.SETTINGS, 1, 0, Buffer.alloc(6))], ERR.FRAME_SIZE_ERROR],
    ["ENABLE_PUSH 2", [settings([[2, 2]])], ERR.PROTOCOL_ERROR],
    ["window setting too big", [settings([[4, 2 ** 31]])], ERR.FLOW_CONTROL_ERROR],
    ["MAX_FRAME_SIZE too small", [settings([[5, 100]])], ERR.PROTOCOL_ERROR],
    ["PUSH_PROMISE", [frame(FRAME.PUSH_PROMISE, 4, 1, Buffer.alloc(4))], ERR.PROTOCOL_ERROR],
    ["WINDOW_UPDATE 0", [windowUpdate(0, 0)], ERR.PROTOCOL_ERROR],
    ["connection window overflow", [windowUpdate(0, 2 ** 31 - 1)], ERR.FLOW_CONTROL_ERROR],
    ["RST_STREAM idle", [rst(9, 0)], ERR.PROTOCOL_ERROR],
    ["RST_STREAM length", [frame(FRAME.RST_STREAM, 0, 1, Buffer.alloc(3))], ERR.FRAME_SIZE_ERROR],
    [
      "frame larger than advertised",
      [frame(FRAME.DATA, 0, 1, Buffer.alloc(70_000))],
      ERR.FRAME_SIZE_ERROR,
    ],
    ["bad HPACK", [frame(FRAME.HEADERS, 5, 1, Buffer.from([0x80]))], ERR.COMPRESSION_ERROR],
    [
      "interrupted header block",
      [frame(FRAME.HEADERS, 0, 1, Buffer.from([0x82])), frame(FRAME.PING, 0, 0, Buffer.alloc(8))],
      ERR.PROTOCOL_ERROR,
    ],
    ["stray CONTINUATION", [frame(FRAME.CONTINUATION, 4, 1, Buffer.alloc(0))], ERR.PROTOCOL_ERROR],
    ["GOAWAY on a stream", [frame(FRAME.GOAWAY, 0, 1, Buffer.alloc(8))], ERR.PROTOCOL_ERROR],
  ];
  for (const [name, frames, code] of connErrors) {
    it(`GOAWAY on ${name}`, () => {
      const { sock, conn } = open();
      sock.feed(...frames);
      assert.equal(goawayCode(sock), code);
      assert.equal(conn.dead, true);
      assert.equal(sock.ended, true);
    });
  }

  it("a client that sends no preface in time gets GOAWAY SETTINGS_TIMEOUT", async () => {
    const sock = new MemSock();
    const conn = new LeanConn(sock, { onStream: () => {}, prefaceTimeoutMs: 20 });
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(conn.dead, true);
    assert.equal(goawayCode(sock), ERR.SETTINGS_TIMEOUT);
  });

  it("rejects a preface that is not HTTP/2 and a first frame that is not SETTINGS", () => {
    for (const input of [
      Buffer.from("GET / HTTP/1.1\r\n\r\n"),
      Buffer.concat([PREFACE, request(1)]),
    ]) {
      const sock = new MemSock();
      const conn = new LeanConn(sock, { onStream: () => {} });
      sock.feed(input);
      assert.equal(conn.dead, true);
      assert.equal(goawayCode(sock), ERR.PROTOCOL_ERROR);
    }
  });

  const streamErrors: [string, Buffer, number][] = [
    ["upper-case field name", request(1, [["X-Up", "1"]]), ERR.PROTOCOL_ERROR],
    ["CR in a value", request(1, [["x-a", "a\r\nb: c"]]), ERR.PROTOCOL_ERROR],
    ["connection header", request(1, [["connection", "close"]]), ERR.PROTOCOL_ERROR],
    ["te gzip", request(1, [["te", "gzip"]]), ERR.PROTOCOL_ERROR],
    [
      "space in :path",
      frame(
        1,
        5,
        1,
        literalBlock([
          [":method", "GET"],
          [":scheme", "https"],
          [":path", "/a b"],
        ]),
      ),
      ERR.PROTOCOL_ERROR,
    ],
    [
      "missing :path",
      frame(
        1,
        5,
        1,
        literalBlock([
          [":method", "GET"],
          [":scheme", "https"],
        ]),
      ),
      ERR.PROTOCOL_ERROR,
    ],
    [
      "pseudo after regular",
      frame(
        1,
        5,
        1,
        literalBlock([
          [":method", "GET"],
          ["a", "b"],
          [":path", "/"],
        ]),
      ),
      ERR.PROTOCOL_ERROR,
    ],
    ["CONNECT", request(1, [], true, "CONNECT"), ERR.PROTOCOL_ERROR],
    [
      "bodyless request with content-length",
      request(1, [["content-length", "3"]]),
      ERR.PROTOCOL_ERROR,
    ],
    ["header list too large", frame(1, 5, 1, bigList()), ERR.ENHANCE_YOUR_CALM],
  ];
  for (const [name, f, code] of streamErrors) {
    it(`RST_STREAM on ${name}`, () => {
      const { sock, conn, streams } = open();
      sock.feed(f);
      const r = sock.sent().find((x) => x.type === FRAME.RST_STREAM);
      assert.equal(r?.payload.readUInt32BE(0), code);
      assert.equal(streams.length, 0);
      assert.equal(conn.dead, false);
    });
  }

  it("content-length must match the DATA received", () => {
    const { sock, streams } = open();
    sock.feed(request(1, [["content-length", "3"]], false, "POST"));
    sock.feed(frame(FRAME.DATA, FLAG.END_STREAM, 1, Buffer.from("ab")));
    assert.equal(streams[0]?.s.closed, true);
    assert.equal(
      sock
        .sent()
        .find((x) => x.type === FRAME.RST_STREAM)
        ?.payload.readUInt32BE(0),
      ERR.PROTOCOL_ERROR,
    );
  });

  it("refuses streams past the concurrency limit", () => {
    const { sock, streams } = open();
    for (let i = 0; i < 257; i++) sock.feed(request(2 * i + 1));
    assert.equal(streams.length, 256);
    const r = sock.sent().find((x) => x.type === FRAME.RST_STREAM);
    assert.deepEqual([r?.id, r?.payload.readUInt32BE(0)], [513, ERR.REFUSED_STREAM]);
  });

  it("rapid reset: a client that opens and resets streams in a loop gets ENHANCE_YOUR_CALM", () => {
    const { sock, conn } = open();
    for (let i = 0; i < 300 && !conn.dead; i++)
      sock.feed(request(2 * i + 1), rst(2 * i + 1, ERR.CANCEL));
    assert.equal(conn.dead, true);
    assert.equal(goawayCode(sock), ERR.ENHANCE_YOUR_CALM);
  });

  it("PING, SETTINGS and empty DATA floods get ENHANCE_YOUR_CALM", () => {
    for (const f of [frame(FRAME.PING, 0, 0, Buffer.alloc(8)), settings(), frame(0x42, 0, 0)]) {
      const { sock, conn } = open();
      for (let i = 0; i < 3000 && !conn.dead; i++) sock.feed(f);
      assert.equal(goawayCode(sock), ERR.ENHANCE_YOUR_CALM);
    }
    const { sock, conn } = open();
    sock.feed(request(1, [], false, "POST"));
    for (let i = 0; i < 3000 && !conn.dead; i++) sock.feed(frame(FRAME.DATA, 0, 1));
    assert.equal(goawayCode(sock), ERR.ENHANCE_YOUR_CALM);
  });

  it("a CONTINUATION flood past the header block limit gets ENHANCE_YOUR_CALM", () => {
    const { sock, conn } = open();
    sock.feed(frame(FRAME.HEADERS, 0, 1, Buffer.from([0x82])));
    for (let i = 0; i < 100 && !conn.dead; i++)
      sock.feed(frame(FRAME.CONTINUATION, 0, 1, Buffer.alloc(1000, 0x82)));
    assert.equal(goawayCode(sock), ERR.ENHANCE_YOUR_CALM);
  });

  it("client RST_STREAM aborts the stream; frames on closed streams are tolerated", async () => {
    const { sock, conn, streams } = open();
    sock.feed(request(1, [], false, "POST"));
    const s = streams[0]?.s as LeanStream;
    const aborted = new Promise((r) => s.on("aborted", r));
    sock.feed(rst(1, ERR.CANCEL), frame(FRAME.DATA, 0, 1, Buffer.alloc(10)), windowUpdate(1, 5));
    await aborted;
    assert.equal(s.rstCode, ERR.CANCEL);
    assert.equal(conn.dead, false);
  });

  it("stream ids that go backwards, are reused or skipped are a connection PROTOCOL_ERROR", () => {
    const cases: [string, (sock: MemSock, streams: { s: LeanStream }[]) => void][] = [
      ["backwards", (sock) => sock.feed(request(5), request(3))],
      ["skipped", (sock) => sock.feed(request(5), request(1))],
      [
        "reused after the stream ended",
        (sock, streams) => {
          sock.feed(request(1));
          streams[0]?.s.respond({ ":status": 204 }, { endStream: true });
          sock.feed(request(1));
        },
      ],
      [
        "trailers on a stream that ended normally",
        (sock, streams) => {
          sock.feed(request(1));
          streams[0]?.s.respond({ ":status": 204 }, { endStream: true });
          sock.feed(frame(FRAME.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 1, Buffer.alloc(0)));
        },
      ],
    ];
    for (const [name, run] of cases) {
      const { sock, conn, streams } = open();
      run(sock, streams);
      assert.equal(goawayCode(sock), ERR.PROTOCOL_ERROR, name);
      assert.equal(conn.dead, true, name);
      assert.match(conn.lastError, /stream id/, name);
    }
  });

  it("trailers that cross our RST_STREAM are ignored, not a connection error", () => {
    const { sock, conn, streams } = open();
    sock.feed(request(1, [], false, "POST"));
    streams[0]?.s.close(ERR.CANCEL);
    sock.feed(frame(FRAME.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 1, Buffer.alloc(0)));
    // A refused stream's trailers too.
    for (let i = 0; i < 256; i++) sock.feed(request(2 * i + 3, [], false, "POST"));
    sock.feed(request(515, [], false, "POST")); // over the concurrency limit: refused
    sock.feed(frame(FRAME.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 515, Buffer.alloc(0)));
    assert.equal(conn.dead, false);
    assert.equal(goawayCode(sock), undefined);
    sock.feed(request(3)); // still a live stream: trailers without END_STREAM → stream error only
    assert.equal(conn.dead, false);
  });

  it("drain: GOAWAY with the last stream id, in-flight streams finish, then the socket ends", () => {
    const { sock, conn, streams } = open();
    sock.feed(request(1), request(3));
    conn.drain();
    const g = sock.sent().find((f) => f.type === FRAME.GOAWAY);
    assert.deepEqual([g?.payload.readUInt32BE(0), g?.payload.readUInt32BE(4)], [3, ERR.NO_ERROR]);
    sock.feed(request(5));
    assert.equal(
      sock
        .sent()
        .find((f) => f.type === FRAME.RST_STREAM)
        ?.payload.readUInt32BE(0),
      ERR.REFUSED_STREAM,
    );
    streams[0]?.s.end("a");
    assert.equal(sock.ended, false);
    streams[1]?.s.end("b");
    assert.equal(sock.ended, true);
  });
});

/** A small block that decodes to a list over the limit (one indexed entry referenced 20×). */
function bigList(): Buffer {
  const lit = literalBlock([["x-big", "z".repeat(4000)]]);
  lit[0] = 0x40; // literal with incremental indexing → dynamic index 62
  return Buffer.concat([
    literalBlock([
      [":method", "GET"],
      [":scheme", "https"],
      [":path", "/"],
    ]),
    lit,
    Buffer.alloc(20, 0xbe),
  ]);
}
