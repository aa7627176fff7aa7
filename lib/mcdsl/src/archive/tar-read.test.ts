import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { test } from "node:test";
import { safeEntryName } from "./safe-path.ts";
import { ArchiveError, BLOCK, encodeHeader, padding, type TarEntry } from "./tar-format.ts";
import { readTar } from "./tar-read.ts";

function tarOf(entries: (TarEntry & { body?: Buffer })[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = e.body ?? Buffer.alloc(0);
    parts.push(encodeHeader({ ...e, size: body.length }), body, padding(body.length));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

async function readAll(buf: Buffer, chunk = 700) {
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) chunks.push(buf.subarray(i, i + chunk));
  const out: { name: string; type: string; data: Buffer; linkname?: string }[] = [];
  for await (const e of readTar(Readable.from(chunks))) {
    const parts: Buffer[] = [];
    for await (const c of e.data()) parts.push(c);
    out.push({
      name: e.name,
      type: e.type,
      data: Buffer.concat(parts),
      ...(e.linkname ? { linkname: e.linkname } : {}),
    });
  }
  return out;
}

const SAMPLE = tarOf([
  { name: "dir", type: "directory", mode: 0o755, size: 0, mtime: 1 },
  {
    name: "dir/file.txt",
    type: "file",
    mode: 0o644,
    size: 0,
    mtime: 2,
    body: Buffer.from("hello world"),
  },
  {
    name: `dir/${"long-".repeat(40)}name`,
    type: "file",
    mode: 0o600,
    size: 0,
    mtime: 3,
    body: Buffer.alloc(1500, 7),
  },
  {
    name: "dir/link",
    type: "symlink",
    mode: 0o777,
    size: 0,
    mtime: 4,
    linkname: `${"x/".repeat(60)}target`,
  },
]);

test("reader round-trips what the writer wrote, across any chunking", async () => {
  for (const chunk of [1, 511, 512, 513, 4096]) {
    const got = await readAll(SAMPLE, chunk);
    assert.deepEqual(
      got.map((e) => [e.name, e.type, e.data.length]),
      [
        ["dir/", "directory", 0],
        ["dir/file.txt", "file", 11],
        [`dir/${"long-".repeat(40)}name`, "file", 1500],
        ["dir/link", "symlink", 0],
      ],
    );
    assert.equal(got[3]!.linkname, `${"x/".repeat(60)}target`);
  }
});

test("fuzz: mutated archives either parse or fail with ArchiveError, never anything else", async () => {
  // mulberry32: a small seeded PRNG, so a failure reproduces.
  let seed = 0x5eed;
  const rand = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const CHUNKS = [61, 100, 511, 512, 700, 1024, 4096];
  let parsed = 0;
  let refused = 0;
  for (let i = 0; i < 2000; i++) {
    const buf = Buffer.from(SAMPLE);
    const flips = 1 + rand(8);
    for (let k = 0; k < flips; k++) buf[rand(buf.length)] = rand(256);
    const cut = rand(4) === 0 ? buf.subarray(0, rand(buf.length)) : buf;
    try {
      for (const e of await readAll(cut, CHUNKS[rand(CHUNKS.length)])) {
        try {
          safeEntryName(e.name);
        } catch (err) {
          assert.ok(err instanceof ArchiveError);
        }
      }
      parsed++;
    } catch (err) {
      assert.ok(err instanceof ArchiveError, `iteration ${i}: ${String(err)}`);
      refused++;
    }
  }
  assert.ok(parsed > 0 && refused > 0, `parsed ${parsed}, refused ${refused}`);
});

test("entry names are validated", () => {
  assert.equal(safeEntryName("./a//b/"), "a/b");
  assert.equal(safeEntryName("./"), ".");
  for (const bad of [
    "",
    "/etc/passwd",
    "../x",
    "a/../../x",
    "a/..",
    "C:\\\\x",
    "a\\\\b",
    "a\\0b",
  ]) {
    assert.throws(() => safeEntryName(bad), ArchiveError, JSON.stringify(bad));
  }
});
