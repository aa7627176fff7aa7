// Numbered schema migrations (recorded in schema_migrations by mcdsl/db).
// barrier_meta: how to rebuild the key-wrapping key and the wrapped master key (one row).
// entries: every stored value, AES-256-GCM sealed by the barrier with its path as associated data.
// audit_log/audit_head: the hash-chained decision log (no secrets; verifiable while sealed).
// acme_*: the ACME server's protocol state (src/acme/); no secrets (EAB MAC keys are sealed in
// the mount's barrier store, only their ids are here).

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
  {
    version: 2,
    name: "acme protocol state",
    up: `
      CREATE TABLE acme_nonces (
        nonce      TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX acme_nonces_expiry ON acme_nonces (expires_at);
      CREATE TABLE acme_eab (
        kid        TEXT PRIMARY KEY,
        mount      TEXT NOT NULL,
        identity   TEXT NOT NULL,
        account_id TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE acme_accounts (
        id         TEXT PRIMARY KEY,
        mount      TEXT NOT NULL,
        thumbprint TEXT NOT NULL,
        jwk        TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('valid', 'deactivated', 'revoked')),
        contact    TEXT NOT NULL,
        eab_kid    TEXT,
        identity   TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (mount, thumbprint)
      );
      CREATE TABLE acme_orders (
        id          TEXT PRIMARY KEY,
        mount       TEXT NOT NULL,
        account_id  TEXT NOT NULL REFERENCES acme_accounts (id),
        status      TEXT NOT NULL,
        identifiers TEXT NOT NULL,
        profile     TEXT NOT NULL,
        replaces    TEXT,
        expires     TEXT NOT NULL,
        error       TEXT,
        cert_id     TEXT,
        created_at  TEXT NOT NULL
      );
      CREATE INDEX acme_orders_account ON acme_orders (account_id);
      CREATE TABLE acme_authz (
        id         TEXT PRIMARY KEY,
        order_id   TEXT NOT NULL REFERENCES acme_orders (id),
        account_id TEXT NOT NULL,
        value      TEXT NOT NULL,
        wildcard   INTEGER NOT NULL,
        status     TEXT NOT NULL,
        expires    TEXT NOT NULL
      );
      CREATE INDEX acme_authz_order ON acme_authz (order_id);
      CREATE TABLE acme_challenges (
        id        TEXT PRIMARY KEY,
        authz_id  TEXT NOT NULL REFERENCES acme_authz (id),
        type      TEXT NOT NULL,
        token     TEXT NOT NULL,
        status    TEXT NOT NULL,
        validated TEXT,
        error     TEXT
      );
      CREATE INDEX acme_challenges_authz ON acme_challenges (authz_id);
      CREATE TABLE acme_certs (
        id         TEXT PRIMARY KEY,
        mount      TEXT NOT NULL,
        serial     TEXT NOT NULL,
        account_id TEXT NOT NULL,
        order_id   TEXT NOT NULL,
        cert_id    TEXT NOT NULL,
        chain_pem  TEXT NOT NULL,
        not_before TEXT NOT NULL,
        not_after  TEXT NOT NULL,
        replaced_by TEXT,
        UNIQUE (mount, serial),
        UNIQUE (mount, cert_id)
      );
    `,
  },
  {
    // An authorization can serve several orders (RFC 8555 §7.1.4: a valid one is reused by the
    // same account for the same identifier); acme_authz.order_id stays the order that made it.
    version: 3,
    name: "acme order authorizations",
    up: `
      CREATE TABLE acme_order_authz (
        order_id TEXT NOT NULL REFERENCES acme_orders (id),
        authz_id TEXT NOT NULL REFERENCES acme_authz (id),
        position INTEGER NOT NULL,
        PRIMARY KEY (order_id, authz_id)
      ) WITHOUT ROWID;
      INSERT INTO acme_order_authz (order_id, authz_id, position)
        SELECT order_id, id, rowid FROM acme_authz;
      CREATE INDEX acme_order_authz_authz ON acme_order_authz (authz_id);
      CREATE INDEX acme_authz_reuse ON acme_authz (account_id, value, wildcard, status);
    `,
  },
];
