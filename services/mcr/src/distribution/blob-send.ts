// Sending a blob's bytes (whole or one range) on a /v2 response, two ways, chosen by
// [storage] blob_reads:
// - "pooled" (default): the file is read into buffers from a BufferPool, the next read running
//   while the previous buffer is written; a buffer goes back to the pool once its write has
//   completed (the TLS layer has encrypted it, a plain socket has taken it). At most two buffers
//   per download are out at a time.
// - "stream": the library path, fs.createReadStream piped into the response (a fresh buffer per
//   read).
import type { FileHandle } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { Digest } from "../oci/digest.ts";
import type { BlobStore } from "../storage/blob-store.ts";
import type { BufferPool } from "../storage/buffer-pool.ts";

export type BlobReads = { kind: "pooled"; pool: BufferPool } | { kind: "stream" };

/** The byte span to send: the whole blob or the requested range. */
export interface Span {
  start: number;
  length: number;
}

/** An opened blob, ready to send once the headers are written; open() fails if it is gone. */
export interface BlobSource {
  send(res: ServerResponse): Promise<void>;
}

export async function openSource(
  store: BlobStore,
  reads: BlobReads,
  digest: Digest,
  span: Span,
): Promise<BlobSource> {
  if (reads.kind === "stream") {
    const range = { start: span.start, end: span.start + span.length - 1 };
    const stream = store.openBlob(digest, range);
    await new Promise<void>((resolve, reject) => {
      stream.once("open", () => resolve());
      stream.once("error", reject);
    });
    return { send: (res) => pipeline(stream, res) };
  }
  const file = await store.openBlobFile(digest);
  return {
    async send(res) {
      try {
        await sendPooled(file, res, span, reads.pool);
      } finally {
        await file.close();
      }
      res.end();
    },
  };
}

/** Writes one buffer; resolves when the write completed (the buffer is free again). */
function writeOut(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const closed = () => reject(new Error("response closed during a blob download"));
    res.once("close", closed);
    res.write(chunk, (err) => {
      res.off("close", closed);
      if (err) reject(err);
      else resolve();
    });
  });
}

async function sendPooled(
  file: FileHandle,
  res: ServerResponse,
  span: Span,
  pool: BufferPool,
): Promise<void> {
  const end = span.start + span.length;
  let pos = span.start;
  let writing: Promise<void> = Promise.resolve();
  while (pos < end) {
    const buf = pool.take();
    const want = Math.min(buf.length, end - pos);
    const { bytesRead } = await file.read(buf, 0, want, pos);
    if (bytesRead === 0) throw new Error("blob file shorter than its recorded size");
    pos += bytesRead;
    await writing;
    const chunk = bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
    writing = writeOut(res, chunk).then(() => pool.give(buf));
    writing.catch(() => undefined); // rethrown by the next await; never unhandled meanwhile
  }
  await writing;
}
