// The content-addressed store on the filesystem. A blob lives at blobs/<alg>/<xx>/<hex> and only
// ever appears there by rename(2) of a complete, verified upload file (uploads/<id>) whose data
// was fsynced first, so neither a crash nor a power loss leaves a partial or empty blob visible
// under its digest. Upload bodies are streamed straight to their file
// with the running digest computed on the way; no layer is held in memory.
import { createHash, type Hash } from "node:crypto";
import {
  createReadStream,
  mkdirSync,
  type ReadStream,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Digest, DigestAlgorithm } from "../oci/digest.ts";
import { BatchedWriter } from "./batched-writer.ts";

/** The sha256 of an upload's bytes so far; valid only while `bytes` equals the file size. */
interface RunningHash {
  hash: Hash;
  bytes: number;
}

export type AppendResult =
  | { kind: "complete"; size: number }
  | { kind: "interrupted"; size: number; error: Error };

/** fsync(2) of a file or a directory. */
async function syncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class BlobStore {
  private readonly running = new Map<string, RunningHash>();

  constructor(readonly root: string) {
    mkdirSync(join(root, "blobs"), { recursive: true, mode: 0o700 });
    mkdirSync(join(root, "uploads"), { recursive: true, mode: 0o700 });
  }

  blobPath(d: Digest): string {
    return join(this.root, "blobs", d.algorithm, d.hex.slice(0, 2), d.hex);
  }

  uploadPath(id: string): string {
    return join(this.root, "uploads", id);
  }

  /** Creates the (empty) file of a new upload. */
  createUpload(id: string): void {
    writeFileSync(this.uploadPath(id), "", { flag: "wx", mode: 0o600 });
    this.running.set(id, { hash: createHash("sha256"), bytes: 0 });
  }

  uploadSize(id: string): number | undefined {
    try {
      return statSync(this.uploadPath(id)).size;
    } catch {
      return undefined;
    }
  }

  /**
   * Appends a request body to an upload, hashing as it goes. On a broken connection the bytes
   * that reached the server are written and stay (the client resumes from the size reported
   * back); the running hash is dropped and recomputed from the file if the upload is finished
   * later.
   */
  async append(id: string, source: Readable, limit?: number): Promise<AppendResult> {
    const state = this.running.get(id);
    const start = this.uploadSize(id) ?? 0;
    const hashing = state && state.bytes === start ? state : undefined;
    if (!hashing) this.running.delete(id);
    const file = await open(this.uploadPath(id), "a");
    const out = new BatchedWriter(file);
    let seen = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        if (limit !== undefined && seen + chunk.length > limit)
          throw new Error("body longer than declared");
        seen += chunk.length;
        hashing?.hash.update(chunk);
        await out.add(chunk);
      }
      await out.finish();
      if (hashing) hashing.bytes += seen;
      return { kind: "complete", size: start + seen };
    } catch (error) {
      this.running.delete(id);
      await out.finish().catch(() => undefined);
      return { kind: "interrupted", size: this.uploadSize(id) ?? start, error: error as Error };
    } finally {
      await file.close();
    }
  }

  /** The digest of the upload file in `algorithm`, from the running hash when it is current. */
  async uploadDigest(id: string, algorithm: DigestAlgorithm): Promise<string> {
    const state = this.running.get(id);
    if (algorithm === "sha256" && state && state.bytes === this.uploadSize(id))
      return `sha256:${state.hash.copy().digest("hex")}`;
    const h = createHash(algorithm);
    await pipeline(createReadStream(this.uploadPath(id)), async (src: AsyncIterable<Buffer>) => {
      for await (const chunk of src) h.update(chunk);
    });
    return `${algorithm}:${h.digest("hex")}`;
  }

  /**
   * Flushes an upload file's data to the disk. Runs before the rename into blobs/: without it a
   * power loss after the rename (and the database commit) can leave an empty or partial file
   * under the digest, and since a file already in place makes later uploads of that digest a
   * no-op (commitBlob), the blob would stay corrupt for good.
   */
  syncUpload(id: string): Promise<void> {
    return syncPath(this.uploadPath(id));
  }

  /** Flushes the directory entry of a blob just renamed into place. */
  syncBlobDir(d: Digest): Promise<void> {
    return syncPath(dirname(this.blobPath(d)));
  }

  /** Moves a verified upload into place (synchronously: see Registry.commitBlob). */
  commitSync(id: string, d: Digest): void {
    const dest = this.blobPath(d);
    mkdirSync(join(dest, ".."), { recursive: true, mode: 0o700 });
    renameSync(this.uploadPath(id), dest);
    this.running.delete(id);
  }

  removeUploadSync(id: string): void {
    this.running.delete(id);
    rmSync(this.uploadPath(id), { force: true });
  }

  removeBlobSync(d: Digest): void {
    rmSync(this.blobPath(d), { force: true });
  }

  hasBlobFile(d: Digest): boolean {
    try {
      return statSync(this.blobPath(d)).isFile();
    } catch {
      return false;
    }
  }

  /** 1 MiB reads: a 50 MiB layer is 50 reads instead of 800, and fewer, fuller socket writes. */
  openBlob(d: Digest, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.blobPath(d), { ...range, highWaterMark: 1 << 20 });
  }

  /** The blob's file opened for reading (rejects when it is not there). */
  openBlobFile(d: Digest): Promise<FileHandle> {
    return open(this.blobPath(d), "r");
  }

  /**
   * "<alg>:<name>" of every file under blobs/<alg>/<xx>/ (including ones a crash left without a
   * database row); the caller checks that each is a digest.
   */
  blobFileNames(): string[] {
    const out: string[] = [];
    const root = join(this.root, "blobs");
    const dirs = (p: string) =>
      readdirSync(p, { withFileTypes: true }).filter((e) => e.isDirectory());
    for (const alg of dirs(root))
      for (const xx of dirs(join(root, alg.name)))
        for (const f of readdirSync(join(root, alg.name, xx.name))) out.push(`${alg.name}:${f}`);
    return out;
  }

  /** Size and modification time of a blob's file; undefined when it is not there. */
  blobFileStat(d: Digest): { size: number; mtimeMs: number } | undefined {
    try {
      const st = statSync(this.blobPath(d));
      return { size: st.size, mtimeMs: st.mtimeMs };
    } catch {
      return undefined;
    }
  }

  /** Upload files present on disk (including ones a crash left without a database row). */
  uploadFiles(): Array<{ id: string; mtimeMs: number }> {
    const dir = join(this.root, "uploads");
    return readdirSync(dir).map((id) => ({ id, mtimeMs: statSync(join(dir, id)).mtimeMs }));
  }
}
