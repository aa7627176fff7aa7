// Numbered schema migrations for the proxy database.
import type { Migration } from "@metacircular/mcdsl/db";

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: "listeners_routes_firewall",
    up: `
      CREATE TABLE listeners (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        addr TEXT NOT NULL,
        proxy_protocol INTEGER NOT NULL DEFAULT 0,
        trusted_proxies TEXT NOT NULL DEFAULT '[]'
      );
      CREATE TABLE routes (
        id INTEGER PRIMARY KEY,
        listener_id INTEGER NOT NULL REFERENCES listeners(id) ON DELETE CASCADE,
        hostname TEXT NOT NULL,
        backend TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('l4', 'l7')),
        tls_cert TEXT,
        tls_key TEXT,
        min_tls TEXT NOT NULL DEFAULT '1.3',
        backend_tls INTEGER NOT NULL DEFAULT 0,
        backend_ca TEXT,
        backend_h2 INTEGER NOT NULL DEFAULT 0,
        send_proxy INTEGER NOT NULL DEFAULT 0,
        timeout_ms INTEGER NOT NULL DEFAULT 60000,
        health_path TEXT,
        UNIQUE (listener_id, hostname)
      );
      CREATE TABLE firewall_rules (
        kind TEXT NOT NULL CHECK (kind IN ('allow', 'deny', 'country')),
        value TEXT NOT NULL,
        PRIMARY KEY (kind, value)
      );
      CREATE TABLE firewall_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
];
