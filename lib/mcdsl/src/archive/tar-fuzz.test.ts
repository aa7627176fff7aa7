// Seeded, replayable fuzz of the tar reader: random archives from the writer must read back
// exactly, under any chunking; random and mutated archives (valid checksums over random fields,
// flipped bytes, cuts, huge sizes, hostile PAX records) must either read or fail with an
// ArchiveError, never another exception, never more data than the input holds. Replay a failure
// with MC_FUZZ_SEED=<seed from the test name>.
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { test } from "node:test";
import { rng } from "@metacircular/testkit";
import { ArchiveError, BLOCK, encodeHeader, padding, type TarEntry } from "./tar-format.ts";
import { MAX_PAX_BYTES, readTar } from "./tar-read.ts";

const SEED = Number(process.env.MC_FUZZ_SEED ?? Date.now() % 1_000_000);

/** A uniform integer below n from the seeded PRNG (the raw 32-bit draw modulo n). */
function mulberry32(seed: number): (n: number) => number {
  const r = rng(seed);
  return (n) => Math.floor(r.next() * 4294967296) % n;
}

type Rand = (n: number) => number;
type Spec = TarEntry & { body: Buffer };

function randomName(rand: Rand): string {
  const parts = 1 + rand(4);
  const pieces: string[] = [];
  for (let i = 0; i < parts; i++) {
    const len = 1 + rand(rand(8) === 0 ? 90 : 12);
    let s = "";
    for (let k = 0; k < len; k++) {
      const r = rand(10);
      s +=
        r < 7
          ? String.fromCharCode(0x61 + rand(26))
          : r < 9
            ? "-_.0123456789"[rand(13)]!
            : String.fromCodePoint(0xa0 + rand(0x2000));
    }
    pieces.push(s);
  }
  return pieces.join("/");
}

function randomEntries(rand: Rand): Spec[] {
  const out: Spec[] = [];
  for (let i = rand(7); i > 0; i--) {
    const type = (["file", "file", "directory", "symlink"] as const)[rand(4)]!;
    const size = type === "file" ? [0, 1, 511, 512, 513, rand(3000)][rand(6)]! : 0;
    const body = Buffer.alloc(size);
    for (let k = 0; k < size; k++) body[k] = rand(256);
    const name = randomName(rand);
    out.push({
      name: type === "directory" ? `${name}/` : name,
      type,
      mode: rand(0o10000),
      size,
      mtime: rand(2 ** 31),
      body,
      ...(type === "symlink" ? { linkname: randomName(rand) } : {}),
    });
  }
  return out;
}

function encode(entries: Spec[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) parts.push(encodeHeader(e), e.body, padding(e.body.length));
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

/** A header block with random fields and a correct checksum, so the reader looks deeper. */
function randomHeader(rand: Rand): Buffer {
  const h = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) if (rand(3) === 0) h[i] = rand(256);
  const octal = (off: number, len: number, n: number) =>
    h.write(`${n.toString(8).padStart(len - 1, "0")}\0`, off, len, "ascii");
  if (rand(2)) octal(124, 12, [0, 1, 512, 8 ** 11 - 1, rand(5000)][rand(5)]!);
  h[156] = "0257xgLK\0A"[rand(10)]!.charCodeAt(0);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return h;
}

/** A PAX "x" header whose records are plausible, hostile or malformed. */
function hostilePax(rand: Rand): Buffer {
  const records = [
    "13 size=99999\n",
    "30 size=999999999999999999999\n",
    "12 size=-12\n",
    "9 path=\n",
    "1 ",
    "0 x=y\n",
    "99999 path=a\n",
    "18 path=../../etc\n",
    "15 linkpath=/x\n",
    `${String.fromCharCode(0x31 + rand(9))}${"9".repeat(rand(3))} k=v\n`,
  ];
  let data = "";
  for (let i = 1 + rand(3); i > 0; i--) data += records[rand(records.length)];
  const body = Buffer.from(data);
  const xh = encodeHeader({
    name: "PaxHeader",
    type: "file",
    mode: 0o644,
    size: body.length,
    mtime: 0,
  });
  xh[156] = 0x78; // 'x'
  xh.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of xh) sum += b;
  xh.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return Buffer.concat([xh, body, padding(body.length)]);
}

function mutate(buf: Buffer, rand: Rand): Buffer {
  let out = Buffer.from(buf);
  switch (rand(5)) {
    case 0:
      for (let k = 1 + rand(8); k > 0; k--) if (out.length) out[rand(out.length)] = rand(256);
      break;
    case 1:
      out = out.subarray(0, rand(out.length + 1));
      break;
    case 2:
      out = Buffer.concat([randomHeader(rand), out]);
      break;
    case 3:
      out = Buffer.concat([hostilePax(rand), out]);
      break;
    default: {
      const at = BLOCK * rand(Math.max(1, out.length / BLOCK));
      out = Buffer.concat([out.subarray(0, at), randomHeader(rand), out.subarray(at)]);
    }
  }
  return out;
}

async function readAll(buf: Buffer, chunk: number) {
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) chunks.push(buf.subarray(i, i + chunk));
  const out: (TarEntry & { body: Buffer })[] = [];
  for await (const e of readTar(Readable.from(chunks))) {
    const parts: Buffer[] = [];
    // Entries are sometimes skipped unread: the reader must still find the next header.
    if (out.length % 3 !== 2) for await (const c of e.data()) parts.push(c);
    const { data: _data, ...meta } = e;
    out.push({ ...meta, body: Buffer.concat(parts) });
  }
  return out;
}

const CHUNKS = [1, 7, 100, 511, 512, 513, 4096, 1 << 16];

test(`tar fuzz: random archives read back exactly (MC_FUZZ_SEED=${SEED})`, async () => {
  const rand = mulberry32(SEED);
  for (let i = 0; i < 200; i++) {
    const entries = randomEntries(rand);
    const got = await readAll(encode(entries), CHUNKS[rand(CHUNKS.length)]!);
    assert.equal(got.length, entries.length, `seed ${SEED} archive ${i}`);
    got.forEach((g, k) => {
      const e = entries[k]!;
      const label = `seed ${SEED} archive ${i} entry ${k}`;
      assert.equal(g.name, e.name, label);
      assert.equal(g.type, e.type, label);
      assert.equal(g.mode, e.mode, label);
      assert.equal(g.mtime, e.mtime, label);
      assert.equal(g.size, e.size, label);
      assert.equal(g.linkname, e.linkname, label);
      if (k % 3 !== 2) assert.ok(g.body.equals(e.body), label);
    });
  }
});

test(`tar fuzz: random and mutated archives read or fail with ArchiveError (MC_FUZZ_SEED=${SEED})`, async () => {
  const rand = mulberry32(SEED ^ 0x7a7a);
  let parsed = 0;
  let refused = 0;
  for (let i = 0; i < 800; i++) {
    let input = encode(randomEntries(rand));
    for (let m = 1 + rand(3); m > 0; m--) input = mutate(input, rand);
    const label = `seed ${SEED} case ${i}`;
    try {
      const got = await readAll(input, CHUNKS[rand(CHUNKS.length)]!);
      const bytes = got.reduce((n, e) => n + e.body.length, 0);
      assert.ok(bytes <= input.length, `${label}: ${bytes} data bytes from ${input.length}`);
      parsed++;
    } catch (err) {
      if (!(err instanceof ArchiveError))
        throw new Error(`${label}: ${String(err)}`, { cause: err });
      refused++;
    }
  }
  assert.ok(parsed > 0 && refused > 0, `parsed ${parsed}, refused ${refused}`);
});

test("a PAX header over the limit is refused before it is buffered", async () => {
  const xh = encodeHeader({
    name: "PaxHeader",
    type: "file",
    mode: 0o644,
    size: 8 ** 11 - 1,
    mtime: 0,
  });
  xh[156] = 0x78; // 'x'
  xh.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of xh) sum += b;
  xh.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  let served = 0;
  // An endless stream: the old reader buffered it all, waiting for 8 GiB of PAX records.
  async function* endless() {
    yield xh;
    for (;;) {
      served += 1 << 16;
      yield Buffer.alloc(1 << 16, 0x41);
    }
  }
  await assert.rejects(async () => {
    for await (const _ of readTar(Readable.from(endless()))) assert.fail("no entry expected");
  }, /PAX header of \d+ bytes/);
  assert.ok(served <= 2 * MAX_PAX_BYTES, `read ${served} bytes past the header`);
});

test("small chunks cost linear time: a 1 MiB PAX header in 64-byte chunks", async () => {
  const pathRecord = (len: number) => {
    const body = ` path=${"a".repeat(len)}\n`;
    let n = body.length + 1;
    while (String(n).length + body.length !== n) n = String(n).length + body.length;
    return Buffer.from(`${n}${body}`);
  };
  const pax = pathRecord(MAX_PAX_BYTES - 64);
  assert.ok(pax.length <= MAX_PAX_BYTES);
  const xh = encodeHeader({
    name: "PaxHeader",
    type: "file",
    mode: 0o644,
    size: pax.length,
    mtime: 0,
  });
  xh[156] = 0x78;
  xh.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of xh) sum += b;
  xh.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  const file = encodeHeader({ name: "short", type: "file", mode: 0o644, size: 0, mtime: 0 });
  const tar = Buffer.concat([xh, pax, padding(pax.length), file, Buffer.alloc(BLOCK * 2)]);
  const got = await readAll(tar, 64);
  assert.equal(got.length, 1);
  assert.equal(got[0]!.name.length, MAX_PAX_BYTES - 64);
});
