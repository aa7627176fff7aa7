// Prepared-statement reuse for the hot paths (login, throttling, audit). better-sqlite3 compiles
// SQL on every prepare(); a login spray made that compile a visible share of the CPU. Only
// plain .get/.run/.all statements go through here: a statement put into pluck/raw/expand mode
// keeps that mode, so those are never shared.
import type { Statement } from "better-sqlite3";
import type { Db } from "./open.ts";

const caches = new WeakMap<Db, Map<string, Statement>>();

export function stmt(db: Db, sql: string): Statement {
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
