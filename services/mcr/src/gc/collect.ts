// Online garbage collection, mark and sweep with a grace period. Marked (kept): tagged
// manifests, manifests pushed, pushed again or looked up by digest within the grace period, and
// everything they reach (index children, referrers of a kept subject, config and layer blobs).
// Swept: other manifests, and blobs that no kept manifest references and that nobody used
// (uploaded, mounted, HEAD/GET, referenced) within the grace period, so a push that checked a
// blob a moment ago still finds it; likewise a repository's link to a blob that stays for others
// but that none of its kept manifests uses. Mark, row deletion and file removal run in one
// synchronous step: no request is served in between, and a finishing upload (also one
// synchronous step, see registry/blobs.ts) sees either the old blob or none. Stale uploads
// (untouched past the upload TTL), upload files a crash left without a row and blob files a
// crash left without one (older than the grace period) go too. A dry run reports the same sets
// and changes nothing.
import type { Database } from "@metacircular/mcdsl/db";
import { parseDigest, tryParseDigest } from "../oci/digest.ts";
import type { RegistryContext } from "../registry/context.ts";

export interface GcOptions {
  graceMs: number;
  uploadTtlMs: number;
  dryRun: boolean;
}

export interface GcReport {
  dry_run: boolean;
  manifests: Array<{ repository: string; digest: string }>;
  blobs: Array<{ digest: string; size: number }>;
  bytes: number;
  /** Repository links to blobs that stay (another repository uses them) but not there. */
  links: Array<{ repository: string; digest: string }>;
  uploads: string[];
}

interface Link {
  repo_id: number;
  repository: string;
  digest: string;
  last_used_at: number;
}

/** Links no kept manifest of their repository needs and nobody used within the grace period. */
function staleLinks(db: Database, rows: MRow[], kept: Set<number>, cutoff: number): Link[] {
  const needed = new Set<string>();
  const refs = db.prepare(
    "SELECT digest FROM manifest_refs WHERE manifest_id = ? AND kind = 'blob'",
  );
  for (const m of rows)
    if (kept.has(m.id))
      for (const r of refs.all(m.id) as { digest: string }[])
        needed.add(`${m.repo_id}|${r.digest}`);
  const links = db
    .prepare(
      `SELECT l.repo_id, r.name AS repository, l.digest, b.last_used_at FROM repo_blobs l
       JOIN blobs b ON b.digest = l.digest JOIN repositories r ON r.id = l.repo_id`,
    )
    .all() as Link[];
  return links.filter((l) => !needed.has(`${l.repo_id}|${l.digest}`) && l.last_used_at <= cutoff);
}

interface MRow {
  id: number;
  repo_id: number;
  repository: string;
  digest: string;
  subject: string | null;
  created_at: number;
  used_at: number;
  tagged: number;
}

/** Ids of the manifests to keep: roots, then their children and referrers until nothing changes. */
function markManifests(db: Database, rows: MRow[], cutoff: number): Set<number> {
  const byKey = new Map(rows.map((r) => [`${r.repo_id}|${r.digest}`, r]));
  const children = db.prepare(
    "SELECT digest FROM manifest_refs WHERE manifest_id = ? AND kind = 'manifest'",
  );
  const kept = new Set<number>();
  const queue = rows.filter((r) => r.tagged || Math.max(r.created_at, r.used_at) > cutoff);
  while (queue.length > 0) {
    const m = queue.pop()!;
    if (kept.has(m.id)) continue;
    kept.add(m.id);
    for (const c of children.all(m.id) as { digest: string }[]) {
      const child = byKey.get(`${m.repo_id}|${c.digest}`);
      if (child && !kept.has(child.id)) queue.push(child);
    }
    for (const r of rows)
      if (r.repo_id === m.repo_id && r.subject === m.digest && !kept.has(r.id)) queue.push(r);
  }
  return kept;
}

/**
 * Blob files without a row, older than the grace period: what a crash between a collection's
 * row deletion and its file removal leaves (nothing can reach them; a finishing upload renames
 * and inserts its row in one synchronous step, so none is caught half done).
 */
function orphanBlobFiles(ctx: RegistryContext, rows: Set<string>, cutoff: number) {
  const out: Array<{ digest: string; size: number; last_used_at: number }> = [];
  for (const name of ctx.store.blobFileNames()) {
    if (rows.has(name)) continue;
    const d = tryParseDigest(name);
    if (typeof d === "string") continue;
    const st = ctx.store.blobFileStat(d);
    if (st && st.mtimeMs <= cutoff) out.push({ digest: d.text, size: st.size, last_used_at: 0 });
  }
  return out;
}

function staleUploads(ctx: RegistryContext, cutoff: number): string[] {
  const rows = ctx.q.db.prepare("SELECT id, updated_at FROM uploads").all() as Array<{
    id: string;
    updated_at: number;
  }>;
  const known = new Map(rows.map((r) => [r.id, r.updated_at]));
  const out = new Set(rows.filter((r) => r.updated_at <= cutoff).map((r) => r.id));
  for (const f of ctx.store.uploadFiles())
    if (!known.has(f.id) && f.mtimeMs <= cutoff) out.add(f.id);
  for (const id of known.keys()) if (ctx.store.uploadSize(id) === undefined) out.add(id);
  return [...out].sort();
}

export function collectGarbage(ctx: RegistryContext, o: GcOptions): GcReport {
  const { db } = ctx.q;
  const now = ctx.now();
  const cutoff = now - o.graceMs;
  const rows = db
    .prepare(
      `SELECT m.id, m.repo_id, r.name AS repository, m.digest, m.subject, m.created_at, m.used_at,
              EXISTS (SELECT 1 FROM tags t WHERE t.repo_id = m.repo_id AND t.digest = m.digest) AS tagged
       FROM manifests m JOIN repositories r ON r.id = m.repo_id`,
    )
    .all() as MRow[];
  const kept = markManifests(db, rows, cutoff);
  const doomed = rows.filter((r) => !kept.has(r.id));
  const referenced = new Set<string>();
  const refs = db.prepare(
    "SELECT digest FROM manifest_refs WHERE manifest_id = ? AND kind = 'blob'",
  );
  for (const id of kept)
    for (const r of refs.all(id) as { digest: string }[]) referenced.add(r.digest);
  const rowsOfBlobs = db.prepare("SELECT digest, size, last_used_at FROM blobs").all() as Array<{
    digest: string;
    size: number;
    last_used_at: number;
  }>;
  const blobs = [
    ...rowsOfBlobs.filter((b) => !referenced.has(b.digest) && b.last_used_at <= cutoff),
    ...orphanBlobFiles(ctx, new Set(rowsOfBlobs.map((b) => b.digest)), cutoff),
  ];
  const uploads = staleUploads(ctx, now - o.uploadTtlMs);
  const goneBlobs = new Set(blobs.map((b) => b.digest));
  const links = staleLinks(db, rows, kept, cutoff).filter((l) => !goneBlobs.has(l.digest));
  const report: GcReport = {
    dry_run: o.dryRun,
    manifests: doomed.map((m) => ({ repository: m.repository, digest: m.digest })),
    blobs: blobs.map((b) => ({ digest: b.digest, size: b.size })),
    bytes: blobs.reduce((n, b) => n + b.size, 0),
    links: links.map((l) => ({ repository: l.repository, digest: l.digest })),
    uploads,
  };
  if (o.dryRun) return report;
  db.transaction(() => {
    const delM = db.prepare("DELETE FROM manifests WHERE id = ?");
    for (const m of doomed) delM.run(m.id);
    const delB = db.prepare("DELETE FROM blobs WHERE digest = ?");
    for (const b of blobs) delB.run(b.digest);
    const delL = db.prepare("DELETE FROM repo_blobs WHERE repo_id = ? AND digest = ?");
    for (const l of links) delL.run(l.repo_id, l.digest);
    const delU = db.prepare("DELETE FROM uploads WHERE id = ?");
    for (const id of uploads) delU.run(id);
  })();
  for (const b of blobs) ctx.store.removeBlobSync(parseDigest(b.digest));
  for (const id of uploads) ctx.store.removeUploadSync(id);
  ctx.audit.record("gc", "gc", undefined, undefined, {
    manifests: report.manifests.length,
    blobs: report.blobs.length,
    bytes: report.bytes,
    links: links.length,
    uploads: uploads.length,
  });
  return report;
}
