// openDatabase: a better-sqlite3 connection configured the platform way (WAL, foreign keys,
// busy timeout), file mode 0600 best effort, migrations applied before it is returned.
import { chmodSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Logger } from "pino";
import { type Migration, migrate } from "./migrate.ts";

export type DB = Database.Database;

export interface OpenOptions {
  migrations?: Migration[];
  logger?: Logger;
  readonly?: boolean;
  /** Milliseconds a writer waits for a lock before SQLITE_BUSY. Default 5000. */
  busyTimeoutMs?: number;
}

const MEMORY = ":memory:";

/**
 * chmod that never throws: a filesystem that refuses chmod (some container mounts, FUSE, root
 * squash) must not take a service down — a lost database is far worse than a loose mode.
 */
export function chmodBestEffort(path: string, mode: number, logger?: Logger): boolean {
  try {
    chmodSync(path, mode);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    const msg = `could not chmod ${mode.toString(8)} ${path}: ${code}; continuing`;
    if (logger) logger.warn({ path, code }, msg);
    else process.emitWarning(msg);
    return false;
  }
}

export function openDatabase(path: string, opts: OpenOptions = {}): DB {
  if (path !== MEMORY && !opts.readonly) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path, {
    readonly: opts.readonly ?? false,
    fileMustExist: opts.readonly ?? false,
  });
  try {
    db.pragma(`busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? 5000)}`);
    if (!opts.readonly) {
      if (path !== MEMORY) db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
    }
    db.pragma("foreign_keys = ON");
    if (path !== MEMORY && !opts.readonly) chmodBestEffort(path, 0o600, opts.logger);
    if (opts.migrations && !opts.readonly) {
      const applied = migrate(db, opts.migrations);
      if (applied.length > 0) opts.logger?.info({ path, applied }, "database migrated");
    }
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
