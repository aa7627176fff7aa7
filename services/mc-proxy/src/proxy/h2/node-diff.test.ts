// Differential fuzz of the lean HTTP/2 front end against node:http2 (nghttp2), seeded
// (MC_FUZZ_SEED replays a run): the same client bytes to both servers, configured alike. They must
// agree on whether the connection fails, which requests reach the application with which header
// lists (HPACK with every representation, Huffman, dynamic table state across streams, table
// size updates, invalid fields), on flow-control violations (DATA past the stream or
// connection window), and on everything before a stream id that goes backwards.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { fuzzSeed, type Rng, replayHint, rng } from "@metacircular/testkit";
import {
  headerText,
  leanVerdict,
  nodeOracle,
  RandomHpack,
  type Verdict,
} from "../../../test/helpers/h2-oracle.ts";
import { frame, PREFACE, settings } from "../../../test/helpers/h2-wire.ts";
import { ERR, FLAG, FRAME, LOCAL } from "./constants.ts";

const NAMES = ["x-a", "accept", "cookie", "user-agent", "content-type", "x-long", "te"];
const BAD_NAMES = ["X-Up", "connection", "keep-alive", "a b", ""];
const VALUES = ["1", "text/html", "a=1", "trailers", "", "v".repeat(200), "é"];
const BAD_VALUES = ["a\r\nb", "a\0", " lead", "trail ", "gzip"];

function requestFields(r: Rng, good: boolean): [string, string][] {
  const f: [string, string][] = [
    [":method", r.pick(["GET", "POST", "HEAD"])],
    [":scheme", "https"],
    [":path", r.pick(["/", "/a?b=1", "/x/y"])],
    [":authority", r.pick(["a.test", "b.test:8443"])],
  ];
  for (let n = r.int(6); n > 0; n--) {
    const name = r.pick(NAMES);
    f.push([name, name === "te" ? "trailers" : r.pick(VALUES)]);
  }
  if (!good) {
    const k = r.int(5);
    if (k === 0) f.push([r.pick(BAD_NAMES), "1"]);
    else if (k === 1) f.push(["x-b", r.pick(BAD_VALUES)]);
    else if (k === 2)
      f.splice(r.int(4), 1); // a pseudo-header missing
    else if (k === 3)
      f.push([":path", "/again"]); // pseudo after regular / repeated
    else f.splice(1 + r.int(f.length - 1), 0, [":unknown", "x"]);
  }
  return f;
}

interface Scenario {
  bytes: Buffer;
  /** What each stream's header block encodes, in headerText form. */
  sent: Map<number, string>;
  /** The last HEADERS opens a stream with an id below the highest one. */
  backwards: boolean;
}

/** A connection's worth of client bytes: requests, some malformed, some with bodies. */
function scenario(r: Rng): Scenario {
  const sent = new Map<number, string>();
  const hp = new RandomHpack(r);
  const out: Buffer[] = [PREFACE, settings(), settings([], true)];
  const n = 1 + r.int(6);
  for (let i = 0; i < n; i++) {
    const id = 1 + 4 * i; // ids 3, 7, ... stay unused (skipped: implicitly closed)
    const good = r.next() < 0.7;
    const update = r.next() < 0.1 ? r.pick([0, 100, 4096, 4097]) : undefined;
    const fields = requestFields(r, good);
    sent.set(
      id,
      headerText(
        fields.map((f) => f[0]),
        fields.map((f) => f[1]),
      ),
    );
    const block = hp.block(fields, update);
    const body = r.next() < 0.3;
    const flags = FLAG.END_HEADERS | (body ? 0 : FLAG.END_STREAM);
    if (r.next() < 0.2 && block.length > 2) {
      const cut = 1 + r.int(block.length - 1);
      out.push(frame(FRAME.HEADERS, flags & ~FLAG.END_HEADERS, id, block.subarray(0, cut)));
      out.push(frame(FRAME.CONTINUATION, FLAG.END_HEADERS, id, block.subarray(cut)));
    } else out.push(frame(FRAME.HEADERS, flags, id, block));
    if (body) out.push(...bodyFrames(r, id));
  }
  const backwards = n > 1 && r.next() < 0.15;
  if (backwards) {
    // A new stream whose id goes backwards to a skipped one.
    const block = hp.block(requestFields(r, true));
    out.push(frame(FRAME.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 3 + 4 * r.int(n - 1), block));
  }
  return { bytes: Buffer.concat(out), sent, backwards };
}

/** DATA for one stream: within the windows, or past the stream's or the connection's. */
function bodyFrames(r: Rng, id: number): Buffer[] {
  const k = r.int(4);
  const total =
    k === 0 ? LOCAL.streamWindow + 1 : k === 1 ? LOCAL.streamWindow : 1 + r.int(100_000);
  const frames: Buffer[] = [];
  for (let sent = 0; sent < total; ) {
    const len = Math.min(total - sent, LOCAL.maxFrameSize);
    sent += len;
    frames.push(frame(FRAME.DATA, sent === total ? FLAG.END_STREAM : 0, id, Buffer.alloc(len)));
  }
  return frames;
}

/**
 * Every stream against what its block encodes: a malformed request (RFC 9113 §8.2-8.3, judged by
 * `malformed`, written from the RFC) is reset by the lean front with PROTOCOL_ERROR; a
 * well-formed one reaches the application of both servers with exactly the encoded list. Two
 * deliberate differences: nghttp2 refuses a request with neither :authority nor host, which
 * §8.3.1 allows (the lean front forwards the route's SNI name); and node:http2 drops malformed
 * fields silently or delivers them, so for malformed requests only the lean verdict is checked.
 * Streams are then removed from both verdicts, leaving resets for other reasons (flow control).
 */
function checkStreams(sc: Scenario, lean: Verdict, node: Verdict, where: string): void {
  for (const [id, list] of sc.sent) {
    const bad = malformed(list);
    if (bad !== null) {
      assert.equal(lean.resets.get(id), ERR.PROTOCOL_ERROR, `${where}: stream ${id} (${bad})`);
      lean.resets.delete(id);
      node.resets.delete(id);
      node.delivered.delete(id);
      continue;
    }
    assert.equal(
      lean.delivered.get(id),
      list,
      `${where}: stream ${id} as the lean front decoded it`,
    );
    lean.delivered.delete(id);
    if (!/^(:authority|host): /m.test(list) && node.resets.get(id) === ERR.PROTOCOL_ERROR) {
      node.resets.delete(id);
      lean.resets.delete(id); // its body (node never took it) may have been reset by the lean side
      continue;
    }
    assert.equal(node.delivered.get(id), list, `${where}: stream ${id} as node:http2 decoded it`);
    node.delivered.delete(id);
  }
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
const PSEUDO = new Set([":method", ":scheme", ":path", ":authority"]);
const CONNECTION = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
]);

/** Why a request header list (headerText form) is malformed (RFC 9113 §8.2-8.3), or null. */
function malformed(list: string): string | null {
  const seen = new Set<string>();
  let regular = false;
  for (const line of list.split("\n")) {
    const at = line.indexOf(": ");
    const name = line.slice(0, at);
    const value = JSON.parse(line.slice(at + 2)) as string;
    if (/[\0\r\n]|^[ \t]|[ \t]$/.test(value)) return "bad value";
    if (name.startsWith(":")) {
      if (regular || !PSEUDO.has(name) || seen.has(name)) return "bad pseudo-header";
    } else {
      regular = true;
      if (!TOKEN.test(name)) return "bad name";
      if (CONNECTION.has(name) || (name === "te" && value !== "trailers")) return "hop-by-hop";
    }
    seen.add(name);
  }
  for (const p of [":method", ":scheme", ":path"]) if (!seen.has(p)) return `no ${p}`;
  return null;
}

function summary(v: Verdict): string {
  const lines = [`goaway ${v.goaway}`];
  for (const [id, h] of [...v.delivered].sort((a, b) => a[0] - b[0]))
    lines.push(`stream ${id} delivered\n${h}`);
  for (const [id, code] of [...v.resets].sort((a, b) => a[0] - b[0]))
    lines.push(`stream ${id} reset ${code}`);
  return lines.join("\n");
}

describe("lean HTTP/2 front vs node:http2 — differential fuzz", () => {
  const oracle = nodeOracle();
  after(() => oracle.close());

  it("agrees on connection errors, delivered requests and their header lists", async () => {
    const seed = fuzzSeed();
    const tally = { failed: 0, delivered: 0, refused: 0, backwards: 0 };
    for (let c = 0; c < 300; c++) {
      const caseSeed = seed + c;
      const sc = scenario(rng(caseSeed));
      const lean = leanVerdict(sc.bytes);
      const node = await oracle.verdict(sc.bytes);
      const where = `${replayHint(caseSeed)} (case ${c})`;
      const both = `\nlean:\n${summary(lean)}\nnode:\n${summary(node)}`;
      if (sc.backwards && node.goaway < 0) {
        // RFC 9113 §5.1.1: a connection error (PROTOCOL_ERROR). nghttp2 ignores such a HEADERS
        // frame (it cannot tell a stale id from a reused one); everything before it must agree.
        assert.equal(lean.goaway, ERR.PROTOCOL_ERROR, `${where}: stream id going backwards${both}`);
        lean.goaway = -1;
        tally.backwards++;
      }
      assert.equal(lean.goaway >= 0, node.goaway >= 0, `${where}: connection error?${both}`);
      if (lean.goaway >= 0) {
        tally.failed++;
        continue;
      }
      tally.delivered += lean.delivered.size;
      tally.refused += lean.resets.size;
      checkStreams(sc, lean, node, where);
      assert.equal(summary(lean), summary(node), `${where}: other resets`);
    }
    const t = `${JSON.stringify(tally)}, ${replayHint(seed)}`;
    assert.ok(tally.failed > 5 && tally.delivered > 100 && tally.refused > 10, t);
    assert.ok(tally.backwards > 5, t);
  });
});
