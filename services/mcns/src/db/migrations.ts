// Numbered schema migrations for mcns.sqlite.

import type { Migration } from "@metacircular/mcdsl/db";

export const migrations: Migration[] = [
  {
    version: 1,
    name: "zones, records, journal, audit log",
    up: `
      CREATE TABLE zones (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,           -- lowercase, absolute (trailing dot)
        primary_ns  TEXT NOT NULL,
        admin_email TEXT NOT NULL,                  -- SOA RNAME form (hostmaster.example.com.)
        refresh     INTEGER NOT NULL,
        retry       INTEGER NOT NULL,
        expire      INTEGER NOT NULL,
        minimum     INTEGER NOT NULL,
        ttl         INTEGER NOT NULL,
        serial      INTEGER NOT NULL,
        created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE TABLE records (
        id         INTEGER PRIMARY KEY,
        zone_id    INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
        name       TEXT NOT NULL,                   -- absolute, case as entered
        name_key   TEXT NOT NULL,                   -- lowercase absolute
        type       INTEGER NOT NULL,
        ttl        INTEGER NOT NULL,
        value      TEXT NOT NULL,                   -- canonical presentation RDATA
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        UNIQUE (zone_id, name_key, type, value)
      );
      CREATE INDEX records_by_name ON records(zone_id, name_key);
      CREATE TABLE journal (
        id        INTEGER PRIMARY KEY,
        zone_id   INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
        serial    INTEGER NOT NULL,                 -- serial the change produced
        op        TEXT NOT NULL CHECK (op IN ('add','del')),
        name      TEXT NOT NULL,
        type      INTEGER NOT NULL,
        ttl       INTEGER NOT NULL,
        value     TEXT NOT NULL
      );
      CREATE INDEX journal_by_zone ON journal(zone_id, serial);
      CREATE TABLE audit_log (
        id      INTEGER PRIMARY KEY,
        at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        zone    TEXT,
        detail  TEXT NOT NULL DEFAULT '{}'
      );
    `,
  },
];
