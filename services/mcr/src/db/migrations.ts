// Numbered schema migrations for mcr.sqlite. Times are Unix milliseconds (GC compares them).

import type { Migration } from "@metacircular/mcdsl/db";

export const migrations: Migration[] = [
  {
    version: 1,
    name: "repositories, blobs, manifests, tags, uploads, policy, audit",
    up: `
      CREATE TABLE repositories (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );
      -- One row per blob file in the store. last_used_at moves on every upload, mount, HEAD
      -- and GET, so a blob a push is about to reference is inside GC's grace period.
      CREATE TABLE blobs (
        digest       TEXT PRIMARY KEY,
        size         INTEGER NOT NULL,
        created_at   INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL
      );
      -- A blob is visible in a repository only through a link (upload or mount into it).
      CREATE TABLE repo_blobs (
        repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
        digest  TEXT NOT NULL REFERENCES blobs(digest) ON DELETE CASCADE,
        PRIMARY KEY (repo_id, digest)
      );
      CREATE INDEX repo_blobs_by_digest ON repo_blobs(digest);
      CREATE TABLE manifests (
        id            INTEGER PRIMARY KEY,
        repo_id       INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
        digest        TEXT NOT NULL,
        media_type    TEXT NOT NULL,
        artifact_type TEXT,
        subject       TEXT,
        annotations   TEXT,
        size          INTEGER NOT NULL,
        content       BLOB NOT NULL,
        created_at    INTEGER NOT NULL,
        UNIQUE (repo_id, digest)
      );
      CREATE INDEX manifests_by_subject ON manifests(repo_id, subject);
      -- What a manifest points at: blobs (config, layers) and child manifests (index entries).
      CREATE TABLE manifest_refs (
        manifest_id INTEGER NOT NULL REFERENCES manifests(id) ON DELETE CASCADE,
        digest      TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('blob', 'manifest')),
        PRIMARY KEY (manifest_id, digest, kind)
      );
      CREATE INDEX manifest_refs_by_digest ON manifest_refs(digest);
      CREATE TABLE tags (
        repo_id    INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        digest     TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (repo_id, name)
      );
      CREATE TABLE uploads (
        id         TEXT PRIMARY KEY,
        repo       TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE policy_rules (
        id           INTEGER PRIMARY KEY,
        priority     INTEGER NOT NULL,
        repository   TEXT NOT NULL,
        subject_kind TEXT NOT NULL CHECK (subject_kind IN ('user', 'system', 'role', 'any')),
        subject      TEXT NOT NULL,
        actions      TEXT NOT NULL,
        effect       TEXT NOT NULL CHECK (effect IN ('allow', 'deny')),
        created_at   INTEGER NOT NULL
      );
      CREATE TABLE audit_log (
        id         INTEGER PRIMARY KEY,
        at         INTEGER NOT NULL,
        actor      TEXT NOT NULL,
        action     TEXT NOT NULL,
        repository TEXT,
        reference  TEXT,
        detail     TEXT NOT NULL DEFAULT '{}'
      );
    `,
  },
  {
    version: 2,
    name: "manifests.used_at: the last push again or HEAD/GET by digest (GC's grace period)",
    up: "ALTER TABLE manifests ADD COLUMN used_at INTEGER NOT NULL DEFAULT 0;",
  },
];
