// Numbered migrations recorded in schema_migrations; each applied in its own transaction, in
// version order. A database newer than the code is refused rather than guessed at.
import type Database from "better-sqlite3";

export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database.Database) => void);
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MigrationError";
  }
}

function validate(migrations: Migration[]): Migration[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const seen = new Set<number>();
  for (const m of sorted) {
    if (!Number.isInteger(m.version) || m.version < 1) {
      throw new MigrationError(`migration "${m.name}": version must be a positive integer`);
    }
    if (seen.has(m.version)) throw new MigrationError(`duplicate migration version ${m.version}`);
    seen.add(m.version);
  }
  return sorted;
}

export function appliedVersions(db: Database.Database): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  const rows = db.prepare("SELECT version FROM schema_migrations ORDER BY version").all();
  return (rows as { version: number }[]).map((r) => r.version);
}

/** Applies pending migrations; returns the versions applied now. */
export function migrate(db: Database.Database, migrations: Migration[]): number[] {
  const sorted = validate(migrations);
  const done = new Set(appliedVersions(db));
  const known = sorted.at(-1)?.version ?? 0;
  const newest = Math.max(0, ...done);
  if (newest > known) {
    throw new MigrationError(
      `database schema version ${newest} is newer than this program knows (${known}); refusing to run`,
    );
  }
  const record = db.prepare("INSERT INTO schema_migrations (version, name) VALUES (?, ?)");
  const applied: number[] = [];
  for (const m of sorted) {
    if (done.has(m.version)) continue;
    const run = db.transaction(() => {
      if (typeof m.up === "string") db.exec(m.up);
      else m.up(db);
      record.run(m.version, m.name);
    });
    try {
      run.immediate();
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new MigrationError(`migration ${m.version} (${m.name}) failed: ${why}`, { cause: e });
    }
    applied.push(m.version);
  }
  return applied;
}
