// Opens the MCIAS SQLite database (WAL, foreign keys, busy timeout, 0600) and migrates it.
import { chmodSync, existsSync } from "node:fs";
import Database from "better-sqlite3";
import { type Migration, migrations as defaultMigrations } from "./migrations.ts";

export type Db = Database.Database;

export function migrate(db: Db, migrations: Migration[]): number[] {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
  const done = new Set(
    (db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.up);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        m.version,
        m.name,
        Date.now(),
      );
    })();
    applied.push(m.version);
  }
  return applied;
}

export function openDb(path: string, migrations: Migration[] = defaultMigrations): Db {
  const fresh = path !== ":memory:" && !existsSync(path);
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  if (fresh) {
    try {
      chmodSync(path, 0o600);
    } catch {
      // best effort: the directory permissions still protect the file
    }
  }
  migrate(db, migrations);
  return db;
}
