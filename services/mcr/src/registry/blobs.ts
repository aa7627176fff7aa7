// Blobs in a repository: stat (HEAD/GET), removal of the repository's link, cross-repository
// mount, and the one place a finished upload becomes a visible blob.

import { type Digest, parseDigest } from "../oci/digest.ts";
import { blobUnknown } from "../oci/errors.ts";
import { checkRepositoryName } from "../oci/names.ts";
import type { RegistryContext } from "./context.ts";
import type { Principal } from "./principal.ts";

export interface BlobInfo {
  digest: Digest;
  size: number;
}

/** The blob as linked into `repo`; 404 BLOB_UNKNOWN otherwise. Marks it as used (GC grace). */
export function statBlob(ctx: RegistryContext, repo: string, digestText: string): BlobInfo {
  checkRepositoryName(repo);
  const digest = parseDigest(digestText);
  const repoId = ctx.q.repoId(repo);
  const row = repoId === undefined ? undefined : ctx.q.linkedBlob(repoId, digest.text);
  if (!row || !ctx.store.hasBlobFile(digest)) throw blobUnknown(digest.text);
  ctx.q.touchBlob(digest.text, ctx.now());
  return { digest, size: row.size };
}

/** Removes the blob from the repository; the file goes when GC finds it unreferenced. */
export function deleteBlob(ctx: RegistryContext, who: Principal, repo: string, digestText: string) {
  checkRepositoryName(repo);
  const digest = parseDigest(digestText);
  const repoId = ctx.q.repoId(repo);
  if (repoId === undefined || ctx.q.unlink(repoId, digest.text) === 0)
    throw blobUnknown(digest.text);
  ctx.audit.record(who, "delete_blob", repo, digest.text);
}

/**
 * Links a blob of `from` into `repo` without moving a byte. The caller has already checked that
 * the principal may pull `from`; false when the blob is not there (the caller falls back to an
 * ordinary upload).
 */
export function mountBlob(
  ctx: RegistryContext,
  who: Principal,
  repo: string,
  digestText: string,
  from: string,
): boolean {
  const digest = parseDigest(digestText);
  const fromId = ctx.q.repoId(from);
  const row = fromId === undefined ? undefined : ctx.q.linkedBlob(fromId, digest.text);
  if (!row || !ctx.store.hasBlobFile(digest)) return false;
  const now = ctx.now();
  ctx.q.db.transaction(() => {
    ctx.q.link(ctx.q.ensureRepo(repo, now), digest.text);
    ctx.q.touchBlob(digest.text, now);
  })();
  ctx.audit.record(who, "mount", repo, digest.text, { from });
  return true;
}

/**
 * Makes a verified upload a blob of `repo`. Rename, row and link happen in one synchronous step,
 * as GC's row deletion and unlink do, so no other request runs in between: a sweep can never
 * remove a file whose row was just written, nor leave a row without its file. The caller has
 * fsynced the upload's data; true when the file was renamed in (its directory wants a sync too).
 */
export function commitBlob(
  ctx: RegistryContext,
  repo: string,
  uploadId: string,
  d: Digest,
): boolean {
  const now = ctx.now();
  const size = ctx.store.uploadSize(uploadId) ?? 0;
  const present = ctx.q.blob(d.text) !== undefined && ctx.store.hasBlobFile(d);
  if (present) ctx.store.removeUploadSync(uploadId);
  else ctx.store.commitSync(uploadId, d);
  ctx.q.db.transaction(() => {
    ctx.q.insertBlob(d.text, size, now);
    ctx.q.link(ctx.q.ensureRepo(repo, now), d.text);
    ctx.q.db.prepare("DELETE FROM uploads WHERE id = ?").run(uploadId);
  })();
  return !present;
}
