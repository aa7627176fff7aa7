// Fuzzing the lean HTTP/2 front end's parsers: random and mutated frame sequences (with valid,
// mutated and random HPACK blocks) into a live connection over an in-memory socket, while the
// application side responds, streams, pauses and resets. Invariants: no exception escapes, the
// stream table and the output stay bounded, and a broken peer ends with GOAWAY, not a crash.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fuzzSeed, type Rng, replayHint, rng } from "@metacircular/testkit";
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
import { ERR, FRAME, LOCAL } from "./constants.ts";
import { HpackDecoder, HpackError } from "./hpack-decoder.ts";
import { huffmanEncode } from "./huffman.ts";
import { LeanConn } from "./lean-conn.ts";
import type { LeanStream } from "./lean-stream.ts";

type R = Rng;

function mutate(r: R, b: Buffer): Buffer {
  const out = Buffer.from(b);
  const n = 1 + r.int(4);
  for (let i = 0; i < n && out.length > 0; i++) {
    const at = r.int(out.length);
    const op = r.int(3);
    if (op === 0) out[at] = r.int(256);
    else if (op === 1) out[at] = (out[at] as number) ^ (1 << r.int(8));
    else
      return Buffer.concat([out.subarray(0, at), r.bytes(r.int(8)), out.subarray(at + r.int(4))]);
  }
  return out;
}

function hpackBlock(r: R): Buffer {
  const kind = r.int(4);
  if (kind === 0) return r.bytes(r.int(40));
  const fields: [string, string][] = [
    [":method", r.pick(["GET", "POST", "HEAD"])],
    [":scheme", "https"],
    [":path", r.pick(["/", "/a?b", "/x y", ""])],
  ];
  if (r.next() < 0.5)
    fields.push([r.pick(["x-a", "cookie", "te", "Upper"]), r.pick(["1", "trailers", " v"])]);
  let b = literalBlock(fields);
  if (kind === 2)
    b = Buffer.concat([
      b,
      Buffer.from([0x80 | r.int(128)]),
      Buffer.from([0x40, 3]),
      huffmanEncode(Buffer.from("abc")),
    ]);
  return kind === 3 ? mutate(r, b) : b;
}

function randomFrame(r: R, maxId: number): Buffer {
  const id = r.next() < 0.1 ? 0 : 1 + 2 * r.int(maxId);
  switch (r.int(12)) {
    case 0:
      return request(id, [], r.next() < 0.5, r.pick(["GET", "POST"]));
    case 1:
      return frame(FRAME.HEADERS, r.int(256), id, hpackBlock(r));
    case 2:
      return frame(FRAME.CONTINUATION, r.int(256), id, hpackBlock(r));
    case 3:
      return frame(FRAME.DATA, r.int(256), id, r.bytes(r.int(300)));
    case 4:
      return rst(id, r.int(14));
    case 5:
      return windowUpdate(r.next() < 0.5 ? 0 : id, r.next() < 0.1 ? 0 : r.int(1 << 20));
    case 6:
      return settings(
        [[1 + r.int(8), r.next() < 0.2 ? 2 ** 32 - 1 : r.int(70_000)]],
        r.next() < 0.1,
      );
    case 7:
      return frame(
        FRAME.PING,
        r.int(2),
        id === 0 ? 0 : r.pick([0, id]),
        r.bytes(r.pick([8, 8, 3])),
      );
    case 8:
      return frame(FRAME.PRIORITY, 0, id, r.bytes(r.pick([5, 5, 4])));
    case 9:
      return frame(FRAME.GOAWAY, 0, 0, r.bytes(8));
    case 10:
      return frame(10 + r.int(240), r.int(256), id, r.bytes(r.int(20)));
    default:
      return mutate(r, request(id));
  }
}

/** Application behaviour per stream, chosen at random. */
function app(r: R) {
  return (s: LeanStream) => {
    s.on("data", () => {
      if (r.next() < 0.1) s.pause();
    });
    const act = r.int(6);
    if (act === 0) s.end("ok");
    else if (act === 1) {
      s.respond({ ":status": 200, "x-r": "1" }, { waitForTrailers: true });
      s.on("wantTrailers", () => s.sendTrailers({ "x-t": "2" }));
      s.write(Buffer.alloc(r.int(100_000)));
      s.end();
    } else if (act === 2) s.close(8);
    else if (act === 3) setImmediate(() => s.resume());
    // else: leave it open (the connection must still bound its state)
  };
}

describe("lean HTTP/2 fuzz", () => {
  it("random and mutated frame sequences never throw and stay bounded", async () => {
    const outcomes = new Set<number>();
    const base = fuzzSeed();
    for (let c = 0; c < 1500; c++) {
      const seed = base + c; // one connection per seed: a failing case replays alone
      const r = rng(seed);
      const sock = new MemSock();
      const conn = new LeanConn(sock, { onStream: app(r) });
      const input: Buffer[] = [PREFACE, settings()];
      const n = 1 + r.int(30);
      for (let i = 0; i < n; i++) input.push(randomFrame(r, 8 + i));
      let wire: Buffer = Buffer.concat(input);
      if (r.next() < 0.2) wire = mutate(r, wire);
      // Random segmentation, as TCP/TLS may deliver it.
      for (let o = 0; o < wire.length && !conn.dead; ) {
        const k = 1 + r.int(r.next() < 0.5 ? 16 : 4096);
        assert.doesNotThrow(() => sock.feed(wire.subarray(o, o + k)), replayHint(seed));
        o += k;
      }
      assert.notEqual(conn.lastCode, ERR.INTERNAL_ERROR, `${replayHint(seed)}: ${conn.lastError}`);
      if (conn.lastCode >= 0) outcomes.add(conn.lastCode);
      assert.ok(conn.streams.size <= LOCAL.maxConcurrentStreams, replayHint(seed));
      assert.ok(sock.bytesOut < 8 << 20, replayHint(seed));
      if (c % 100 === 0) await new Promise((res) => setImmediate(res));
      sock.destroy();
    }
    // The corpus reaches the main connection error paths.
    for (const code of [ERR.PROTOCOL_ERROR, ERR.FRAME_SIZE_ERROR, ERR.COMPRESSION_ERROR]) {
      assert.ok(outcomes.has(code), `no case ended with error ${code}, ${replayHint(base)}`);
    }
  });

  it("HPACK decoder: random and mutated blocks decode or fail with HpackError only", () => {
    const seed = fuzzSeed();
    const r = rng(seed);
    for (let i = 0; i < 5000; i++) {
      const d = new HpackDecoder(r.pick([0, 64, 4096]));
      const block = r.next() < 0.5 ? r.bytes(r.int(64)) : mutate(r, hpackBlock(r));
      try {
        d.decode(block, () => {});
      } catch (e) {
        assert.ok(e instanceof HpackError, `${block.toString("hex")}: ${e}, ${replayHint(seed)}`);
      }
    }
  });
});
