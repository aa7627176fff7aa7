// The log frame reader: round trip under every chunking, and a seeded fuzz (MC_FUZZ_SEED) of
// arbitrary bytes: frames or a LogFrameError, never anything else.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fuzzSeed, replayHint, rng } from "@metacircular/testkit";
import { encodeLogFrame, type LogFrame, LogFrameError, LogFrameReader } from "./log-frames.ts";

test("frames survive any chunking", () => {
  const seed = fuzzSeed();
  const r = rng(seed);
  for (let round = 0; round < 200; round++) {
    const frames: LogFrame[] = Array.from({ length: 1 + r.int(6) }, () => ({
      stream: r.pick(["stdout", "stderr"] as const),
      data: r.bytes(r.int(300)),
    }));
    const wire = Buffer.concat(frames.map(encodeLogFrame));
    const reader = new LogFrameReader();
    const got: LogFrame[] = [];
    for (let off = 0; off < wire.length; ) {
      const n = 1 + r.int(40);
      got.push(...reader.push(wire.subarray(off, off + n)));
      off += n;
    }
    assert.deepEqual(got, frames, replayHint(seed));
    assert.equal(reader.pending, 0, replayHint(seed));
  }
});

test("fuzz: arbitrary bytes give frames or a LogFrameError", () => {
  const seed = fuzzSeed();
  const r = rng(seed);
  for (let i = 0; i < 5000; i++) {
    const reader = new LogFrameReader();
    const valid = encodeLogFrame({ stream: "stdout", data: r.bytes(r.int(20)) });
    const noise = r.bytes(r.int(64));
    const input = r.int(2) ? Buffer.concat([valid, noise]) : noise;
    try {
      for (const f of reader.push(input))
        assert.ok(["stdin", "stdout", "stderr"].includes(f.stream));
    } catch (e) {
      assert.ok(e instanceof LogFrameError, `${String(e)}; ${replayHint(seed)}`);
    }
  }
});

test("a corrupt header and an oversized frame are refused", () => {
  assert.throws(
    () => new LogFrameReader().push(Buffer.from([7, 0, 0, 0, 0, 0, 0, 1, 65])),
    LogFrameError,
  );
  assert.throws(
    () => new LogFrameReader().push(Buffer.from([1, 0, 0, 0, 0x7f, 0, 0, 0])),
    /log frame of/,
  );
});
