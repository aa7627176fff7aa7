// The JS↔C++ event format of the ingress addon, checked at the boundary itself: records go through
// the I/O threads' own writers and EventSink (addon.encodeEvents) and come back through the JS
// decoder (src/io/events.ts), field by field. Edge cases: empty and largest peeks, empty and
// over-long strings, the extremes of every number, thousands of records in one batch, and seeded
// random records (MC_FUZZ_SEED replays a run).
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { fuzzSeed, type Rng, replayHint, rng } from "@metacircular/testkit";
import { decodeEvents, type IngressEvent } from "../src/io/events.ts";
import { type IngressAddon, loadIngressAddon } from "../src/io/native-io.ts";
import { ensureIngressAddon } from "./helpers/native.ts";

const PEEK_MAX = 16 * 1024 + 512; // kPeekMax in native/ingress.h: the most a peek carries
const MAX_ID = 2 ** 53 - 1; // ids travel as float64: exact up to here
const LONGEST_IPV6 = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";

function roundTrip(addon: IngressAddon, records: readonly IngressEvent[]): IngressEvent[] {
  const out: IngressEvent[] = [];
  decodeEvents(addon.encodeEvents(records), (e) => out.push(e));
  return out;
}

const head = { id: 64, listenerId: 1, peerPort: 40000, localPort: 443 };
const addrs = { peer: "127.0.0.1", local: "127.0.0.2" };

/** One random record of a random type; the ranges are those of the fields' C++ types. */
function randomRecord(r: Rng): IngressEvent {
  const id = r.int(2 ** 31) * 64 + r.int(64);
  const listenerId = r.int(2 ** 31);
  const conn = { id, listenerId, peerPort: r.int(65536), localPort: r.int(65536) };
  const ip = () => (r.int(2) ? `10.${r.int(256)}.${r.int(256)}.${r.int(256)}` : LONGEST_IPV6);
  switch (r.int(7)) {
    case 0:
      return { type: "peek", ...conn, peer: ip(), local: ip(), bytes: r.bytes(r.int(600)) };
    case 1: {
      const sni = `${"a".repeat(1 + r.int(60))}.example.test`;
      return { type: "fast", ...conn, peer: ip(), local: ip(), sni };
    }
    case 2: {
      const [up, down, ms] = [r.int(2 ** 40), r.int(2 ** 40), r.int(2 ** 32)];
      return { type: "closed", id, statsId: r.int(2 ** 32), up, down, ms, error: r.int(2) === 1 };
    }
    case 3:
      return { type: "timeout", id, listenerId };
    case 4:
      return { type: "gone", id, listenerId };
    case 5:
      return { type: "policyAck", id: r.int(2 ** 32) };
    default:
      return { type: "denied", listenerId, peer: ip() };
  }
}

describe("ingress event format (C++ writers → JS decoder)", () => {
  let addon: IngressAddon;

  before(() => {
    ensureIngressAddon();
    const l = loadIngressAddon();
    assert.ok(l.addon, l.error);
    // Under the sanitizer run (native-sanitizers.test.ts) this must be the asan build.
    if (process.env.MC_NATIVE_BUILD === "asan")
      assert.match(l.path ?? "", /\/asan\/ingress\.node$/);
    addon = l.addon;
  });

  it("lays out a peek record byte by byte", () => {
    const bytes = Buffer.from([0x16, 0x03, 0x01]);
    const b = addon.encodeEvents([{ type: "peek", ...head, ...addrs, bytes }]);
    const expected = Buffer.alloc(1 + 8 + 12 + 10 + 10 + 4 + 3);
    let o = expected.writeUInt8(1, 0);
    o = expected.writeDoubleLE(64, o);
    o = expected.writeUInt32LE(1, o);
    o = expected.writeUInt32LE(40000, o);
    o = expected.writeUInt32LE(443, o);
    for (const s of [addrs.peer, addrs.local]) {
      o = expected.writeUInt8(s.length, o);
      o += expected.write(s, o, "latin1");
    }
    o = expected.writeUInt32LE(3, o);
    bytes.copy(expected, o);
    assert.deepEqual(b, expected);
  });

  it("carries empty and largest peeks, and the extremes of every number", () => {
    const records: IngressEvent[] = [
      { type: "peek", ...head, ...addrs, bytes: Buffer.alloc(0) },
      { type: "peek", ...head, ...addrs, bytes: Buffer.alloc(PEEK_MAX, 0xab) },
      {
        type: "peek",
        id: MAX_ID,
        listenerId: 2 ** 31 - 1,
        peerPort: 65535,
        localPort: 0,
        peer: "",
        local: LONGEST_IPV6,
        bytes: Buffer.from([0]),
      },
      { type: "closed", id: 0, statsId: 0, up: 0, down: 0, ms: 0, error: false },
      {
        type: "closed",
        id: MAX_ID,
        statsId: 2 ** 32 - 1,
        up: MAX_ID,
        down: MAX_ID,
        ms: 2 ** 32 - 1,
        error: true,
      },
      { type: "timeout", id: MAX_ID, listenerId: 0 },
      { type: "gone", id: 63, listenerId: 2 ** 31 - 1 },
      { type: "fast", ...head, ...addrs, sni: "x".repeat(253) },
      { type: "policyAck", id: 2 ** 32 - 1 },
      { type: "denied", listenerId: 7, peer: LONGEST_IPV6 },
      { type: "denied", listenerId: 0, peer: "" },
    ];
    const back = roundTrip(addon, records);
    assert.deepEqual(back, records);
    const peeks = back.filter((e) => e.type === "peek");
    assert.equal(peeks[0]?.bytes.length, 0);
    assert.equal(peeks[1]?.bytes.length, PEEK_MAX);
  });

  it("cuts a string longer than 255 bytes instead of misaligning the records after it", () => {
    // Regression: PutStr wrote the length modulo 256 and then every byte, so the decoder read the
    // rest of the string as the next records.
    const long = "d".repeat(300);
    const back = roundTrip(addon, [
      { type: "fast", ...head, ...addrs, sni: long },
      { type: "gone", id: 128, listenerId: 3 },
    ]);
    assert.equal(back.length, 2);
    assert.deepEqual(back[0], { type: "fast", ...head, ...addrs, sni: long.slice(0, 255) });
    assert.deepEqual(back[1], { type: "gone", id: 128, listenerId: 3 });
  });

  it("decodes thousands of seeded random records from one batch, in order", () => {
    const seed = fuzzSeed();
    const r = rng(seed);
    const records = Array.from({ length: 3000 }, () => randomRecord(r));
    const back = roundTrip(addon, records);
    assert.equal(back.length, records.length, replayHint(seed));
    for (let i = 0; i < records.length; i++)
      assert.deepEqual(back[i], records[i], `record ${i}, ${replayHint(seed)}`);
  });

  it("gives an empty batch for no records and refuses unknown types on both sides", () => {
    assert.equal(addon.encodeEvents([]).length, 0);
    assert.throws(
      () => addon.encodeEvents([{ type: "nope" } as unknown as IngressEvent]),
      /bad record 0/,
    );
    assert.throws(() => decodeEvents(Buffer.alloc(9, 5), () => {}), /unknown event type 5/);
  });
});
