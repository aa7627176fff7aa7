// Raw SQL for the registry's metadata, one prepared statement per question.

import type { Database } from "@metacircular/mcdsl/db";

export interface ManifestRow {
  id: number;
  repo_id: number;
  digest: string;
  media_type: string;
  artifact_type: string | null;
  subject: string | null;
  annotations: string | null;
  size: number;
  content: Buffer;
  created_at: number;
  used_at: number;
}

export interface BlobRow {
  digest: string;
  size: number;
  created_at: number;
  last_used_at: number;
}

export class Queries {
  constructor(readonly db: Database) {}

  repoId(name: string): number | undefined {
    const r = this.db.prepare("SELECT id FROM repositories WHERE name = ?").get(name) as
      | { id: number }
      | undefined;
    return r?.id;
  }

  ensureRepo(name: string, now: number): number {
    this.db
      .prepare("INSERT INTO repositories (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
      .run(name, now);
    return this.repoId(name)!;
  }

  repoNames(): string[] {
    return (
      this.db.prepare("SELECT name FROM repositories ORDER BY name").all() as { name: string }[]
    ).map((r) => r.name);
  }

  blob(digest: string): BlobRow | undefined {
    return this.db.prepare("SELECT * FROM blobs WHERE digest = ?").get(digest) as
      | BlobRow
      | undefined;
  }

  linkedBlob(repoId: number, digest: string): BlobRow | undefined {
    return this.db
      .prepare(
        "SELECT b.* FROM blobs b JOIN repo_blobs l ON l.digest = b.digest WHERE l.repo_id = ? AND b.digest = ?",
      )
      .get(repoId, digest) as BlobRow | undefined;
  }

  insertBlob(digest: string, size: number, now: number): void {
    this.db
      .prepare(
        "INSERT INTO blobs (digest, size, created_at, last_used_at) VALUES (?, ?, ?, ?) ON CONFLICT(digest) DO UPDATE SET last_used_at = excluded.last_used_at",
      )
      .run(digest, size, now, now);
  }

  /** A manifest pushed again or checked by digest: inside GC's grace period again. */
  touchManifest(id: number, now: number): void {
    this.db.prepare("UPDATE manifests SET used_at = ? WHERE id = ?").run(now, id);
  }

  touchBlob(digest: string, now: number): void {
    this.db.prepare("UPDATE blobs SET last_used_at = ? WHERE digest = ?").run(now, digest);
  }

  link(repoId: number, digest: string): void {
    this.db
      .prepare("INSERT INTO repo_blobs (repo_id, digest) VALUES (?, ?) ON CONFLICT DO NOTHING")
      .run(repoId, digest);
  }

  unlink(repoId: number, digest: string): number {
    return this.db
      .prepare("DELETE FROM repo_blobs WHERE repo_id = ? AND digest = ?")
      .run(repoId, digest).changes;
  }

  manifest(repoId: number, digest: string): ManifestRow | undefined {
    return this.db
      .prepare("SELECT * FROM manifests WHERE repo_id = ? AND digest = ?")
      .get(repoId, digest) as ManifestRow | undefined;
  }

  tagDigest(repoId: number, tag: string): string | undefined {
    const r = this.db
      .prepare("SELECT digest FROM tags WHERE repo_id = ? AND name = ?")
      .get(repoId, tag) as { digest: string } | undefined;
    return r?.digest;
  }

  tags(repoId: number, after: string, limit: number): string[] {
    return (
      this.db
        .prepare("SELECT name FROM tags WHERE repo_id = ? AND name > ? ORDER BY name LIMIT ?")
        .all(repoId, after, limit) as { name: string }[]
    ).map((r) => r.name);
  }

  tagsOf(repoId: number, digest: string): string[] {
    return (
      this.db
        .prepare("SELECT name FROM tags WHERE repo_id = ? AND digest = ? ORDER BY name")
        .all(repoId, digest) as { name: string }[]
    ).map((r) => r.name);
  }

  referrers(repoId: number, subject: string): ManifestRow[] {
    return this.db
      .prepare("SELECT * FROM manifests WHERE repo_id = ? AND subject = ? ORDER BY id")
      .all(repoId, subject) as ManifestRow[];
  }
}
