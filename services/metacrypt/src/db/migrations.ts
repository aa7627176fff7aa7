// Numbered schema migrations (recorded in schema_migrations by mcdsl/db).
// barrier_meta: how to rebuild the key-wrapping key and the wrapped master key (one row).
// entries: every stored value, AES-256-GCM sealed by the barrier with its path as associated data.
// audit_log/audit_head: the hash-chained decision log (no secrets; verifiable while sealed).

import type { Migration } from "@metacircular/mcdsl/db";

export const migrations: Migration[] = [
  {
    version: 1,
    name: "barrier, entries, audit",
    up: `
      CREATE TABLE barrier_meta (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        mode        TEXT NOT NULL CHECK (mode IN ('password', 'shamir')),
        kdf         TEXT NOT NULL,
        salt        BLOB NOT NULL,
        wrapped_mek BLOB NOT NULL,
        shares      INTEGER,
        threshold   INTEGER,
        created_at  TEXT NOT NULL
      );
      CREATE TABLE entries (
        path  TEXT PRIMARY KEY,
        value BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE audit_log (
        seq       INTEGER PRIMARY KEY,
        ts        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL,
        mount     TEXT,
        target    TEXT,
        decision  TEXT NOT NULL,
        rule      TEXT,
        detail    TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
      );
      CREATE TABLE audit_head (
        id   INTEGER PRIMARY KEY CHECK (id = 1),
        seq  INTEGER NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `,
  },
];
