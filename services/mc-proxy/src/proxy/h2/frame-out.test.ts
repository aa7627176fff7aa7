// Frame serialisation: headers, control frames, and header blocks split into HEADERS +
// CONTINUATION when they exceed the peer's SETTINGS_MAX_FRAME_SIZE.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseFrames } from "../../../test/helpers/h2-wire.ts";
import { FLAG, FRAME } from "./constants.ts";
import { goawayFrame, headerFrames, settingsFrame, u32Frame } from "./frame-out.ts";
import { HpackDecoder } from "./hpack-decoder.ts";
import { HpackEncoder } from "./hpack-encoder.ts";

describe("frame serialisation", () => {
  it("control frames carry the right header and payload", () => {
    const [s] = parseFrames(settingsFrame([[3, 256]]));
    assert.deepEqual(
      [s?.type, s?.flags, s?.id, s?.payload.toString("hex")],
      [FRAME.SETTINGS, 0, 0, "000300000100"],
    );
    const [w] = parseFrames(u32Frame(FRAME.WINDOW_UPDATE, 5, 1000));
    assert.deepEqual([w?.type, w?.id, w?.payload.readUInt32BE(0)], [FRAME.WINDOW_UPDATE, 5, 1000]);
    const [g] = parseFrames(goawayFrame(7, 11));
    assert.deepEqual([g?.payload.readUInt32BE(0), g?.payload.readUInt32BE(4)], [7, 11]);
  });

  it("a small block is one HEADERS frame with END_HEADERS (and END_STREAM when asked)", () => {
    const block = new HpackEncoder().encode({ "content-type": "text/plain" }, 200);
    const fr = parseFrames(Buffer.concat(headerFrames(block, 3, true, 16_384)));
    assert.equal(fr.length, 1);
    assert.equal(fr[0]?.flags, FLAG.END_HEADERS | FLAG.END_STREAM);
  });

  it("a large block is split into HEADERS + CONTINUATION that decode to the same fields", () => {
    const big = "v".repeat(40_000);
    const block = new HpackEncoder().encode({ "x-big": big, "x-small": "s" }, 404);
    const fr = parseFrames(Buffer.concat(headerFrames(block, 9, false, 16_384)));
    assert.deepEqual(
      fr.map((f) => [f.type, f.flags, f.id]),
      [
        [FRAME.HEADERS, 0, 9],
        [FRAME.CONTINUATION, 0, 9],
        [FRAME.CONTINUATION, FLAG.END_HEADERS, 9],
      ],
    );
    assert.ok(fr.every((f) => f.payload.length <= 16_384));
    const fields: [string, string][] = [];
    new HpackDecoder(4096).decode(Buffer.concat(fr.map((f) => f.payload)), (n, v) =>
      fields.push([n, v]),
    );
    assert.deepEqual(fields, [
      [":status", "404"],
      ["x-big", big],
      ["x-small", "s"],
    ]);
  });
});
