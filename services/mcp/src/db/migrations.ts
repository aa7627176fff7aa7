// Numbered schema migrations for the agent's registry (mcp-agent.sqlite): what should run on
// this node (services with their definitions and desired state) and everything a deploy put in
// place for them (host ports, routes, certificates, DNS records), plus events and deploy history.
import type { Migration } from "@metacircular/mcdsl/db";

export const migrations: Migration[] = [
  {
    version: 1,
    name: "services, components, routes, certificates, DNS records, events, deploys",
    up: `
      CREATE TABLE services (
        name        TEXT PRIMARY KEY,
        node        TEXT NOT NULL,
        tier        TEXT NOT NULL,
        active      INTEGER NOT NULL,
        desired     TEXT NOT NULL CHECK (desired IN ('running', 'stopped')),
        definition  TEXT NOT NULL,                 -- the validated definition, JSON
        created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE TABLE components (
        service     TEXT NOT NULL REFERENCES services(name) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        image       TEXT NOT NULL,
        container   TEXT NOT NULL,                 -- the podman container name
        spec_hash   TEXT NOT NULL,                 -- of the container spec it was created with
        PRIMARY KEY (service, name)
      );
      CREATE TABLE routes (
        service       TEXT NOT NULL REFERENCES services(name) ON DELETE CASCADE,
        component     TEXT NOT NULL,
        name          TEXT NOT NULL,               -- '' for a component's unnamed route
        listener_port INTEGER NOT NULL,
        mode          TEXT NOT NULL CHECK (mode IN ('l4', 'l7')),
        hostname      TEXT NOT NULL,
        public        INTEGER NOT NULL,
        host_port     INTEGER NOT NULL UNIQUE,
        registered    INTEGER NOT NULL DEFAULT 0, -- 1 while MC-Proxy has the route
        PRIMARY KEY (service, component, name)
      );
      CREATE TABLE certificates (
        service   TEXT NOT NULL REFERENCES services(name) ON DELETE CASCADE,
        hostname  TEXT NOT NULL,
        cert_path TEXT NOT NULL,
        key_path  TEXT NOT NULL,
        PRIMARY KEY (service, hostname)
      );
      CREATE TABLE dns_records (
        service   TEXT NOT NULL REFERENCES services(name) ON DELETE CASCADE,
        zone      TEXT NOT NULL,
        name      TEXT NOT NULL,
        type      TEXT NOT NULL,
        value     TEXT NOT NULL,
        record_id INTEGER NOT NULL,
        PRIMARY KEY (service, zone, name, type)
      );
      CREATE TABLE events (
        id       INTEGER PRIMARY KEY,
        at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        service  TEXT NOT NULL,
        kind     TEXT NOT NULL,
        message  TEXT NOT NULL
      );
      CREATE INDEX events_by_service ON events(service, id);
      CREATE TABLE deploys (
        id          INTEGER PRIMARY KEY,
        service     TEXT NOT NULL,
        started_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        finished_at TEXT,
        outcome     TEXT NOT NULL CHECK (outcome IN ('running', 'ok', 'failed')),
        failed_step TEXT,
        error       TEXT,
        definition  TEXT NOT NULL,
        actor       TEXT NOT NULL
      );
      CREATE INDEX deploys_by_service ON deploys(service, id);
    `,
  },
  {
    version: 2,
    name: "service health (ok, flapping) for the monitor",
    up: `
      ALTER TABLE services ADD COLUMN health TEXT NOT NULL DEFAULT 'ok'
        CHECK (health IN ('ok', 'flapping'));
    `,
  },
  {
    version: 3,
    name: "certificates issued by Metacrypt: serial and expiry ('' for a static [certs] pair)",
    up: `
      ALTER TABLE certificates ADD COLUMN serial TEXT NOT NULL DEFAULT '';
      ALTER TABLE certificates ADD COLUMN not_after TEXT NOT NULL DEFAULT '';
    `,
  },
  {
    version: 4,
    name: "zero-downtime redeploys: a spare host port per route; the kind of each deploy",
    up: `
      -- The other port of the route's pair: a redeploy starts the new version there, then the
      -- two swap (host_port is the one serving).
      ALTER TABLE routes ADD COLUMN spare_port INTEGER;
      ALTER TABLE deploys ADD COLUMN kind TEXT NOT NULL DEFAULT 'deploy'
        CHECK (kind IN ('deploy', 'rollback', 'start', 'restore', 'recover'));
    `,
  },
];
