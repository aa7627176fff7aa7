// Manifests by tag and digest: push (parse, verify digest, check every referenced blob and child
// manifest is in the repository, store and tag in one transaction), fetch and delete.

import type { ManifestRow } from "../db/queries.ts";
import { digestOf, parseDigest } from "../oci/digest.ts";
import { manifestUnknown, nameUnknown, OciError } from "../oci/errors.ts";
import { type ParsedManifest, parseManifest } from "../oci/manifest.ts";
import { checkRepositoryName, isTag } from "../oci/names.ts";
import type { RegistryContext } from "./context.ts";
import type { Principal } from "./principal.ts";

export type Reference = { kind: "tag"; tag: string } | { kind: "digest"; digest: string };

export function parseReference(ref: string): Reference {
  if (ref.includes(":")) return { kind: "digest", digest: parseDigest(ref).text };
  if (!isTag(ref))
    throw new OciError(400, "MANIFEST_INVALID", "invalid tag", { detail: { tag: ref } });
  return { kind: "tag", tag: ref };
}

export interface PushResult {
  digest: string;
  subject?: string;
}

function blobUnknown(digest: string): OciError {
  return new OciError(400, "MANIFEST_BLOB_UNKNOWN", "manifest references an unknown blob", {
    detail: { digest },
  });
}

/** Every blob and child manifest the manifest names must already be in the repository. */
function checkReferences(ctx: RegistryContext, repoId: number, m: ParsedManifest): string[] {
  const blobs: string[] = [];
  for (const d of [...(m.config ? [m.config] : []), ...m.layers]) {
    if (d.urls && d.urls.length > 0) continue; // non-distributable layer, fetched elsewhere
    if (!ctx.q.linkedBlob(repoId, d.digest)) throw blobUnknown(d.digest);
    blobs.push(d.digest);
  }
  for (const d of m.manifests) if (!ctx.q.manifest(repoId, d.digest)) throw blobUnknown(d.digest);
  return blobs;
}

export function putManifest(
  ctx: RegistryContext,
  who: Principal,
  repo: string,
  reference: string,
  body: Buffer,
  contentType: string | undefined,
): PushResult {
  checkRepositoryName(repo);
  const ref = parseReference(reference);
  const m = parseManifest(body, contentType);
  const algorithm = ref.kind === "digest" ? parseDigest(ref.digest).algorithm : "sha256";
  const digest = digestOf(body, algorithm);
  if (ref.kind === "digest" && ref.digest !== digest)
    throw new OciError(400, "DIGEST_INVALID", "manifest digest does not match the reference", {
      detail: { expected: ref.digest, computed: digest },
    });
  const now = ctx.now();
  ctx.q.db.transaction(() => {
    const repoId = ctx.q.ensureRepo(repo, now);
    const blobs = checkReferences(ctx, repoId, m);
    const existing = ctx.q.manifest(repoId, digest);
    if (!existing) insertManifest(ctx, repoId, digest, m, body, now);
    // Pushed again (a client pushing an index re-pushes its children first): a GC between it
    // and the index's push keeps it, as an upload keeps a blob.
    else ctx.q.touchManifest(existing.id, now);
    for (const b of blobs) ctx.q.touchBlob(b, now);
    if (ref.kind === "tag")
      ctx.q.db
        .prepare(
          "INSERT INTO tags (repo_id, name, digest, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(repo_id, name) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at",
        )
        .run(repoId, ref.tag, digest, now);
  })();
  ctx.audit.record(who, "push", repo, ref.kind === "tag" ? ref.tag : digest, { digest });
  return m.subject ? { digest, subject: m.subject.digest } : { digest };
}

function insertManifest(
  ctx: RegistryContext,
  repoId: number,
  digest: string,
  m: ParsedManifest,
  body: Buffer,
  now: number,
): void {
  const info = ctx.q.db
    .prepare(
      `INSERT INTO manifests (repo_id, digest, media_type, artifact_type, subject, annotations, size, content, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      repoId,
      digest,
      m.mediaType,
      m.artifactType ?? null,
      m.subject?.digest ?? null,
      m.annotations ? JSON.stringify(m.annotations) : null,
      body.length,
      body,
      now,
    );
  const ins = ctx.q.db.prepare(
    "INSERT INTO manifest_refs (manifest_id, digest, kind) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
  );
  for (const d of [...(m.config ? [m.config] : []), ...m.layers])
    ins.run(info.lastInsertRowid, d.digest, "blob");
  for (const d of m.manifests) ins.run(info.lastInsertRowid, d.digest, "manifest");
}

/**
 * The manifest a tag or digest names in `repo`; 404 MANIFEST_UNKNOWN otherwise. With `touch`, a
 * lookup by digest renews it for GC: a client pushing an index checks each child with a HEAD
 * and pushes only the missing ones (containerd does), as it checks blobs.
 */
export function getManifest(
  ctx: RegistryContext,
  repo: string,
  reference: string,
  touch = false,
): ManifestRow {
  checkRepositoryName(repo);
  const ref = parseReference(reference);
  const repoId = ctx.q.repoId(repo);
  if (repoId === undefined) throw nameUnknown(repo);
  const digest = ref.kind === "tag" ? ctx.q.tagDigest(repoId, ref.tag) : ref.digest;
  const row = digest ? ctx.q.manifest(repoId, digest) : undefined;
  if (!row) throw manifestUnknown(reference);
  if (touch && ref.kind === "digest") ctx.q.touchManifest(row.id, ctx.now());
  return row;
}

/** DELETE by digest removes the manifest and its tags; by tag removes only the tag. */
export function deleteManifest(
  ctx: RegistryContext,
  who: Principal,
  repo: string,
  reference: string,
): void {
  checkRepositoryName(repo);
  const ref = parseReference(reference);
  const repoId = ctx.q.repoId(repo);
  if (repoId === undefined) throw nameUnknown(repo);
  const db = ctx.q.db;
  if (ref.kind === "tag") {
    const n = db.prepare("DELETE FROM tags WHERE repo_id = ? AND name = ?").run(repoId, ref.tag);
    if (n.changes === 0) throw manifestUnknown(reference);
    ctx.audit.record(who, "delete_tag", repo, ref.tag);
    return;
  }
  db.transaction(() => {
    const n = db
      .prepare("DELETE FROM manifests WHERE repo_id = ? AND digest = ?")
      .run(repoId, ref.digest);
    if (n.changes === 0) throw manifestUnknown(reference);
    db.prepare("DELETE FROM tags WHERE repo_id = ? AND digest = ?").run(repoId, ref.digest);
  })();
  ctx.audit.record(who, "delete_manifest", repo, ref.digest);
}
