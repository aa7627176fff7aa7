// The output gatherer: byte order across copied and referenced pieces, chunk rollover, and
// bytes already handed out never being overwritten.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { parseFrames } from "../../../test/helpers/h2-wire.ts";
import { OutBuffer } from "./out-buffer.ts";

describe("OutBuffer", () => {
  it("keeps the order of small copies, large references and frame heads across chunks", () => {
    const o = new OutBuffer();
    const expect: Buffer[] = [];
    for (let i = 0; i < 200; i++) {
      const b = randomBytes([3, 700, 5000, 20_000][i % 4] as number);
      o.head(b.length, 0, i & 1, i + 1);
      o.bytes(b, 0, b.length, i % 3 === 0);
      expect.push(b);
    }
    const all = o.take() as Buffer;
    assert.equal(o.take(), null);
    const fr = parseFrames(all);
    assert.equal(fr.length, 200);
    fr.forEach((f, i) => {
      assert.equal(f.id, i + 1);
      assert.deepEqual(f.payload, expect[i]);
    });
  });

  it("a taken buffer is not changed by later writes", () => {
    const o = new OutBuffer();
    o.bytes(Buffer.from("first"), 0, 5, true);
    const a = o.take() as Buffer;
    for (let i = 0; i < 100; i++) o.bytes(Buffer.alloc(100, 0x78), 0, 100, true);
    o.take();
    assert.equal(a.toString(), "first");
  });
});
