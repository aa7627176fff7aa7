// Prepared-statement reuse for hot paths (logins, throttling, audit appends). better-sqlite3
// compiles SQL on every prepare(); under a login spray that compile was a visible share of the
// CPU. Only plain .get/.run/.all statements belong here: a statement put into pluck/raw/expand
// mode keeps that mode, so such statements are never shared.
import type { Statement } from "better-sqlite3";
import type { DB } from "./open.ts";

const caches = new WeakMap<DB, Map<string, Statement>>();

/** The prepared statement for `sql` on `db`, compiled once per database handle. */
export function cachedStatement(db: DB, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let s = cache.get(sql);
  if (!s) {
    s = db.prepare(sql);
    cache.set(sql, s);
  }
  return s;
}
