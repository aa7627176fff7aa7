import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fuzzSeed, replayHint, rng } from "@metacircular/testkit";
import { BodyFramer, FramingError, requestFraming, responseFraming } from "./body-framer.ts";

/** Feed `buf` in pieces of the given sizes; returns [end offset in buf or -1, decoded payload]. */
function run(f: BodyFramer, buf: Buffer, sizes: number[]): [number, Buffer] {
  const out: Buffer[] = [];
  let off = 0;
  let k = 0;
  while (off < buf.length) {
    const n = Math.max(1, sizes[k++ % sizes.length] as number);
    const piece = buf.subarray(off, Math.min(buf.length, off + n));
    const end = f.feed(piece, 0, (b, s, e) => out.push(Buffer.from(b.subarray(s, e))));
    if (end >= 0) return [off + end, Buffer.concat(out)];
    off += piece.length;
  }
  return [-1, Buffer.concat(out)];
}

function chunk(payload: Buffer, sizes: number[], trailers = ""): Buffer {
  const parts: Buffer[] = [];
  let off = 0;
  let k = 0;
  while (off < payload.length) {
    const n = Math.min(payload.length - off, Math.max(1, sizes[k++ % sizes.length] as number));
    parts.push(Buffer.from(`${n.toString(16)}${k % 3 === 0 ? ";ext=1" : ""}\r\n`));
    parts.push(payload.subarray(off, off + n), Buffer.from("\r\n"));
    off += n;
  }
  parts.push(Buffer.from(`0\r\n${trailers}\r\n`));
  return Buffer.concat(parts);
}

describe("BodyFramer", () => {
  it("fixed length ends exactly after N bytes", () => {
    const f = new BodyFramer("length", 5);
    assert.equal(f.feed(Buffer.from("abc"), 0), -1);
    assert.equal(f.feed(Buffer.from("deNEXT"), 0), 2);
    assert.equal(f.done, true);
    assert.equal(new BodyFramer("length", 0).done, true);
    assert.equal(new BodyFramer("none").feed(Buffer.from("x"), 0), 0);
  });

  it("close-delimited bodies never end by themselves", () => {
    assert.equal(new BodyFramer("close").feed(Buffer.from("abc"), 0), -1);
  });

  it("chunked: finds the end, decodes the payload and collects trailers", () => {
    const body = chunk(Buffer.from("hello world"), [5, 6], "X-Sum: 42\r\n");
    const wire = Buffer.concat([body, Buffer.from("GET /next")]);
    const f = new BodyFramer("chunked");
    const [end, payload] = run(f, wire, [wire.length]);
    assert.equal(end, body.length);
    assert.equal(payload.toString(), "hello world");
    assert.deepEqual(f.trailers, ["X-Sum: 42"]);
  });

  it("chunked: refuses malformed framing", () => {
    const bad = [
      "x\r\n",
      "5\nhello\r\n0\r\n\r\n",
      "5\r\nhelloX\r\n0\r\n\r\n",
      "5\r\nhello\r\n0\r\nbad trailer\r\n\r\n",
      "5\r\nhello\r\n0\r\n\rX",
      "1234567890123\r\n",
      "-1\r\n",
      "5;\x01\r\n",
    ];
    for (const b of bad) {
      assert.throws(
        () => new BodyFramer("chunked").feed(Buffer.from(b, "latin1"), 0),
        FramingError,
        b,
      );
    }
  });

  it("fuzz: any split of a valid chunked body gives the same end and payload (seeded)", () => {
    const seed = fuzzSeed();
    const random = rng(seed);
    for (let i = 0; i < 2000; i++) {
      const payload = random.bytes(1 + (i % 300));
      const r = random.bytes(4);
      const wire = chunk(
        payload,
        [1 + (r[0] as number), 1 + ((r[1] as number) % 7)],
        i % 5 === 0 ? "A: b\r\n" : "",
      );
      const [end, got] = run(new BodyFramer("chunked"), wire, [
        1 + ((r[2] as number) % 17),
        1 + (r[3] as number),
      ]);
      assert.equal(end, wire.length, `case ${i}, ${replayHint(seed)}`);
      assert.ok(got.equals(payload), `case ${i}, ${replayHint(seed)}`);
    }
  });

  it("fuzz: corrupted chunked input either throws FramingError or is a consistent parse (seeded)", () => {
    const seed = fuzzSeed();
    const random = rng(seed);
    for (let i = 0; i < 3000; i++) {
      const wire = chunk(random.bytes(20), [7, 13]);
      const r = random.bytes(2);
      wire[(r[0] as number) % wire.length] = r[1] as number;
      const where = `${wire.toString("latin1")}, ${replayHint(seed)}`;
      try {
        const [end] = run(new BodyFramer("chunked"), wire, [3]);
        assert.ok(end === -1 || (end > 0 && end <= wire.length), where);
      } catch (e) {
        assert.ok(e instanceof FramingError, `${String(e)}: ${where}`);
      }
    }
  });

  it("framing rules for requests and responses", () => {
    assert.equal(requestFraming(false, -1), "none");
    assert.equal(requestFraming(false, 0), "none");
    assert.equal(requestFraming(false, 9), "length");
    assert.equal(requestFraming(true, -1), "chunked");
    assert.equal(responseFraming("HEAD", 200, true, 10), "none");
    assert.equal(responseFraming("GET", 204, false, -1), "none");
    assert.equal(responseFraming("GET", 304, false, 10), "none");
    assert.equal(responseFraming("GET", 200, false, -1), "close");
    assert.equal(responseFraming("GET", 200, false, 3), "length");
    assert.equal(responseFraming("GET", 200, true, -1), "chunked");
  });
});
