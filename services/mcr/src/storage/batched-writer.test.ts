// BatchedWriter: order and content of batched writes, how few writes they take, and a failing
// write surfacing as an error (not an unhandled rejection) while the body is still arriving.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { test } from "node:test";
import { tempDirFor } from "@metacircular/testkit";
import { BATCH_BYTES, BatchedWriter } from "./batched-writer.ts";
import { BlobStore } from "./blob-store.ts";

test("many small buffers land in order, byte for byte, in few writes", async (t) => {
  const dir = tempDirFor(t, "mcr-bw-");
  const path = dir.join("f");
  const file = await open(path, "a");
  let writes = 0;
  const writev = file.writev.bind(file);
  file.writev = ((b: Buffer[]) => {
    writes++;
    return writev(b);
  }) as typeof file.writev;
  const pieces = Array.from({ length: 700 }, (_, i) => randomBytes(16_384 + (i % 7)));
  const w = new BatchedWriter(file);
  for (const p of pieces) await w.add(p);
  await w.finish();
  await file.close();
  assert.deepEqual(readFileSync(path), Buffer.concat(pieces));
  const total = pieces.reduce((n, p) => n + p.length, 0);
  assert.ok(writes <= Math.ceil(total / BATCH_BYTES) + 1, `${writes} writes`);
});

test("a failing write reports an interrupted append, never an unhandled rejection", async (t) => {
  const dir = tempDirFor(t, "mcr-bw-");
  const store = new BlobStore(dir.join("store"));
  store.createUpload("u");
  writeFileSync(store.uploadPath("u"), "abc");
  const body = Readable.from(
    (function* () {
      for (let i = 0; i < 600; i++) yield Buffer.alloc(16_384, i);
    })(),
  );
  // A read-only handle: every writev fails with EBADF, while the body keeps coming.
  const ro = await open(store.uploadPath("u"), "r");
  const w = new BatchedWriter(ro);
  let failed = false;
  try {
    for await (const chunk of body) await w.add(chunk as Buffer);
    await w.finish();
  } catch (e) {
    failed = (e as NodeJS.ErrnoException).code === "EBADF";
  } finally {
    await ro.close();
  }
  assert.ok(failed, "the write error reaches the caller");
  const r = await store.append("u", Readable.from([Buffer.from("def")]), 3);
  assert.deepEqual(r, { kind: "complete", size: 6 });
  assert.equal(readFileSync(store.uploadPath("u"), "utf8"), "abcdef");
});
