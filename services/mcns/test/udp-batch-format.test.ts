// The JS↔C++ boundary of the batched-UDP addon (native/udp_batch.cc), used directly rather than
// through the DNS responder: the shared data/addrs/meta buffers a batch arrives in (slot layout,
// lengths, truncation, the sender's raw sockaddr for IPv4 and IPv6, several batches of up to 64
// datagrams), replies written back over their slot (none, empty-slot, full-slot and out-of-range
// lengths), sendTo's checks and close. Datagrams are sent with the addon's own synchronous sendTo,
// so a whole burst is queued before the receiver's poll callback runs. Payloads are seeded
// (MC_FUZZ_SEED replays a run).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fuzzSeed, replayHint, rng } from "@metacircular/testkit";
import { loadUdpBatchAddon, type UdpBatchAddon } from "../src/dnsserver/udp-batch.ts";
import { ensureUdpAddon } from "./helpers/native.ts";

const SLOT = 4096; // kSlot: the largest datagram a batch carries
const BATCH = 64; // kBatch
const AF_INET = 2;
const AF_INET6 = 10;

interface Got {
  len: number;
  addrLen: number;
  /** The reply length the addon left in meta before JS set it (always 0). */
  replyBefore: number;
  bytes: Buffer;
  addr: Buffer;
}

/** An addon socket that records every datagram and lets `reply` set each one's reply length. */
interface Sock {
  port: number;
  handle: object;
  batches: number[];
  got: Got[];
  close(): Promise<void>;
}

type Reply = (got: Got, data: Buffer, off: number) => number;

function open(addon: UdpBatchAddon, host: string, reply?: Reply): Sock {
  const got: Got[] = [];
  const batches: number[] = [];
  let data!: Buffer;
  let addrs!: Buffer;
  let meta!: Int32Array;
  let slot = 0;
  let addrSlot = 0;
  const onBatch = (n: number) => {
    batches.push(n);
    for (let i = 0; i < n; i++) {
      const len = meta[i * 4]!;
      const addrLen = meta[i * 4 + 1]!;
      const off = i * slot;
      const g: Got = {
        len,
        addrLen,
        replyBefore: meta[i * 4 + 2]!,
        bytes: Buffer.from(data.subarray(off, off + Math.max(len, 0))),
        addr: Buffer.from(addrs.subarray(i * addrSlot, i * addrSlot + addrLen)),
      };
      got.push(g);
      if (reply) meta[i * 4 + 2] = reply(g, data, off);
    }
  };
  const o = addon.open(host.includes(":"), host, 0, 1 << 20, 1 << 20, onBatch);
  data = Buffer.from(o.data);
  addrs = Buffer.from(o.addrs);
  meta = new Int32Array(o.meta);
  slot = o.slot;
  addrSlot = o.addrSlot;
  assert.equal(slot, SLOT);
  assert.equal(o.batch, BATCH);
  assert.ok(addrSlot >= 28);
  assert.equal(data.length, BATCH * SLOT);
  assert.equal(meta.length, BATCH * 4);
  return {
    port: o.port,
    handle: o.handle,
    batches,
    got,
    close: () => new Promise<void>((r) => addon.close(o.handle, r)),
  };
}

/** The raw sockaddr_in / sockaddr_in6 the kernel hands back (family in host order, LE here). */
function sockaddr(host: string, port: number): Buffer {
  if (!host.includes(":")) {
    const b = Buffer.alloc(16);
    b.writeUInt16LE(AF_INET, 0);
    b.writeUInt16BE(port, 2);
    Buffer.from(host.split(".").map(Number)).copy(b, 4);
    return b;
  }
  assert.equal(host, "::1");
  const b = Buffer.alloc(28);
  b.writeUInt16LE(AF_INET6, 0);
  b.writeUInt16BE(port, 2);
  b[8 + 15] = 1;
  return b;
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 15_000;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("batched UDP addon: the shared-buffer format", () => {
  let addon: UdpBatchAddon;
  const open_: Sock[] = [];
  const seed = fuzzSeed();
  const r = rng(seed);

  before(() => {
    ensureUdpAddon();
    const l = loadUdpBatchAddon();
    assert.ok(l.addon, l.error);
    addon = l.addon;
  });
  after(async () => {
    for (const s of open_) await s.close();
  });
  const sock = (host: string, reply?: Reply) => {
    const s = open(addon, host, reply);
    open_.push(s);
    return s;
  };

  it("delivers a burst in batches of at most 64, in order, with lengths and sockaddr", async () => {
    const rx = sock("127.0.0.1");
    const tx = sock("127.0.0.1");
    // Edge sizes (empty, one byte, a full slot, one past it, far past it) among small random ones.
    const sizes = [0, 1, SLOT - 1, SLOT, SLOT + 1, 9000];
    for (let i = 0; i < 140; i++) sizes.push(r.int(200));
    const sent = sizes.map((n) => r.bytes(n));
    const to = sockaddr("127.0.0.1", rx.port);
    for (const p of sent) assert.equal(addon.sendTo(tx.handle, p, to, to.length), 0);
    await until(() => rx.got.length === sent.length, `${sent.length} datagrams`);
    const hint = replayHint(seed);
    assert.ok(Math.max(...rx.batches) > 1, `no datagrams shared a batch: ${rx.batches}, ${hint}`);
    assert.ok(Math.max(...rx.batches) <= BATCH, `${rx.batches}`);
    assert.equal(
      rx.batches.reduce((a, b) => a + b, 0),
      sent.length,
    );
    const from = sockaddr("127.0.0.1", tx.port);
    for (let i = 0; i < sent.length; i++) {
      const g = rx.got[i]!;
      const p = sent[i]!;
      const where = `datagram ${i} (${p.length} bytes), ${hint}`;
      if (p.length > SLOT) {
        assert.equal(g.len, -1, `truncated datagram: ${where}`);
      } else {
        assert.equal(g.len, p.length, where);
        assert.deepEqual(g.bytes, p, where);
      }
      assert.equal(g.addrLen, 16, where);
      assert.equal(g.replyBefore, 0, where);
      assert.deepEqual(g.addr, from, where);
    }
  });

  it("sends replies written over their slot, skipping 0, negative and over-slot lengths", async () => {
    // The first two bytes of each query number it; the number picks the reply length.
    const plan = (k: number) => [0, 2, SLOT, SLOT + 1, -5, 1][k % 6]!;
    const rx = sock("127.0.0.1", (g, data, off) => {
      const k = g.bytes.readUInt16BE(0);
      const len = plan(k);
      if (len >= 2 && len <= SLOT) {
        data.fill(k & 0xff, off, off + len);
        data.writeUInt16BE(k, off);
      } else if (len === 1) data[off] = 0xee;
      return len;
    });
    const tx = sock("127.0.0.1");
    const to = sockaddr("127.0.0.1", rx.port);
    const count = 90;
    for (let k = 0; k < count; k++) {
      const q = Buffer.concat([Buffer.alloc(2), r.bytes(r.int(100))]);
      q.writeUInt16BE(k, 0);
      addon.sendTo(tx.handle, q, to, to.length);
    }
    const expected = Array.from({ length: count }, (_, k) => k).filter((k) => {
      const n = plan(k);
      return n > 0 && n <= SLOT;
    });
    await until(() => tx.got.length === expected.length, `${expected.length} replies`);
    // Give a wrongly sent reply time to show up before checking that none did.
    await new Promise((res) => setTimeout(res, 200));
    assert.equal(tx.got.length, expected.length);
    for (let i = 0; i < expected.length; i++) {
      const k = expected[i]!;
      const g = tx.got[i]!;
      assert.equal(g.len, plan(k), `reply to ${k}`);
      if (plan(k) === 1) assert.deepEqual(g.bytes, Buffer.from([0xee]));
      else {
        assert.equal(g.bytes.readUInt16BE(0), k);
        assert.ok(g.bytes.subarray(2).every((b) => b === (k & 0xff)));
      }
      assert.deepEqual(g.addr, sockaddr("127.0.0.1", rx.port));
    }
  });

  it("passes the sender's sockaddr_in6 for IPv6 and answers through it", async () => {
    const rx = sock("::1", (_g, data, off) => {
      data.write("pong", off);
      return 4;
    });
    const tx = sock("::1");
    const to = sockaddr("::1", rx.port);
    assert.equal(addon.sendTo(tx.handle, Buffer.from("ping"), to, to.length), 0);
    await until(() => tx.got.length === 1, "the IPv6 reply");
    assert.equal(rx.got[0]?.addrLen, 28);
    // flowinfo and scope id are zero on loopback, so the whole structure is predictable.
    assert.deepEqual(rx.got[0]?.addr, sockaddr("::1", tx.port));
    assert.equal(tx.got[0]?.bytes.toString(), "pong");
  });

  it("sendTo carries more than a slot, checks its arguments, and fails after close", async () => {
    const rx = sock("127.0.0.1");
    const tx = open(addon, "127.0.0.1");
    const to = sockaddr("127.0.0.1", rx.port);
    const big = r.bytes(SLOT * 2);
    assert.equal(addon.sendTo(tx.handle, big, to, to.length), 0);
    await until(() => rx.got.length === 1, "the large datagram");
    assert.equal(rx.got[0]?.len, -1); // sent whole, but larger than the receiver's slot
    assert.throws(() => addon.sendTo(tx.handle, big, to, to.length + 1), TypeError);
    assert.throws(() => addon.sendTo(tx.handle, big, to, -1), TypeError);
    assert.throws(() => addon.sendTo({}, big, to, to.length), TypeError);
    const port = tx.port;
    await tx.close();
    addon.close(tx.handle); // a second close is a no-op
    assert.equal(addon.sendTo(tx.handle, big, to, to.length), -9); // -EBADF
    // The port is free again once close's callback ran.
    const again = addon.open(false, "127.0.0.1", port, 0, 0, () => {});
    assert.equal(again.port, port);
    await new Promise<void>((res) => addon.close(again.handle, res));
  });
});
