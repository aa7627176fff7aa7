// Blob upload sessions: start, append a chunk (in order, from the offset the registry holds),
// status, finish with digest verification, cancel. The upload file is the session's state; the
// database row ties it to its repository and records its age for GC.
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { parseDigest } from "../oci/digest.ts";
import { digestInvalid, OciError, uploadUnknown } from "../oci/errors.ts";
import { checkRepositoryName } from "../oci/names.ts";
import { commitBlob } from "./blobs.ts";
import type { RegistryContext } from "./context.ts";

export interface UploadState {
  id: string;
  repo: string;
  /** Bytes received so far. */
  size: number;
}

/** A chunk's declared placement: Content-Range start-end and/or Content-Length. */
export interface ChunkRange {
  start?: number;
  end?: number;
  length?: number;
}

/** One upload at a time per session; a second concurrent request is refused. */
const busy = new Set<string>();

export function startUpload(ctx: RegistryContext, repo: string): UploadState {
  checkRepositoryName(repo);
  const id = randomUUID();
  const now = ctx.now();
  ctx.store.createUpload(id);
  ctx.q.db
    .prepare("INSERT INTO uploads (id, repo, created_at, updated_at) VALUES (?, ?, ?, ?)")
    .run(id, repo, now, now);
  return { id, repo, size: 0 };
}

export function uploadStatus(ctx: RegistryContext, repo: string, id: string): UploadState {
  checkRepositoryName(repo);
  const row = ctx.q.db.prepare("SELECT repo FROM uploads WHERE id = ?").get(id) as
    | { repo: string }
    | undefined;
  const size = ctx.store.uploadSize(id);
  if (!row || row.repo !== repo || size === undefined) throw uploadUnknown();
  return { id, repo, size };
}

export const rangeHeader = (size: number) => `0-${Math.max(size - 1, 0)}`;

function outOfOrder(s: UploadState, location: string, why: string): OciError {
  return new OciError(416, "RANGE_INVALID", `chunk out of order: ${why}`, {
    headers: { Location: location, Range: rangeHeader(s.size), "Docker-Upload-UUID": s.id },
  });
}

/** Appends one request body; 416 when it does not start where the upload ends. */
export async function appendChunk(
  ctx: RegistryContext,
  s: UploadState,
  body: Readable,
  range: ChunkRange,
  location: string,
): Promise<UploadState> {
  if (range.start !== undefined && range.start !== s.size)
    throw outOfOrder(s, location, `starts at ${range.start}, upload holds ${s.size} bytes`);
  let limit = range.length;
  if (range.start !== undefined && range.end !== undefined) {
    const span = range.end - range.start + 1;
    if (span < 0 || (limit !== undefined && limit !== span))
      throw outOfOrder(s, location, "Content-Range and Content-Length disagree");
    limit = span;
  }
  if (busy.has(s.id)) throw outOfOrder(s, location, "another chunk is being written");
  busy.add(s.id);
  try {
    const r = await ctx.store.append(s.id, body, limit);
    ctx.q.db.prepare("UPDATE uploads SET updated_at = ? WHERE id = ?").run(ctx.now(), s.id);
    if (r.kind === "interrupted")
      throw new OciError(400, "BLOB_UPLOAD_INVALID", `upload interrupted: ${r.error.message}`, {
        headers: { Location: location, Range: rangeHeader(r.size) },
      });
    if (limit !== undefined && r.size - s.size !== limit)
      throw new OciError(400, "SIZE_INVALID", "body shorter than declared", {
        headers: { Location: location, Range: rangeHeader(r.size) },
      });
    return { ...s, size: r.size };
  } finally {
    busy.delete(s.id);
  }
}

/** Verifies the digest and makes the upload a blob; a mismatch discards the upload. */
export async function finishUpload(
  ctx: RegistryContext,
  s: UploadState,
  digestText: string | undefined,
): Promise<string> {
  if (!digestText) throw new OciError(400, "DIGEST_INVALID", "digest parameter is required");
  const expected = parseDigest(digestText);
  if (busy.has(s.id))
    throw new OciError(400, "BLOB_UPLOAD_INVALID", "a chunk is still being written");
  busy.add(s.id);
  try {
    const actual = await ctx.store.uploadDigest(s.id, expected.algorithm);
    if (actual !== expected.text) {
      cancelUpload(ctx, s);
      throw digestInvalid(`computed ${actual}`);
    }
    await ctx.store.syncUpload(s.id);
    if (commitBlob(ctx, s.repo, s.id, expected)) await ctx.store.syncBlobDir(expected);
    return expected.text;
  } finally {
    busy.delete(s.id);
  }
}

export function cancelUpload(ctx: RegistryContext, s: UploadState): void {
  ctx.store.removeUploadSync(s.id);
  ctx.q.db.prepare("DELETE FROM uploads WHERE id = ?").run(s.id);
}
