// Opens the MCIAS SQLite database through mcdsl/db (WAL, foreign keys, 0600) with our migrations.
import { type DB, openDatabase } from "@metacircular/mcdsl/db";
import type { Logger } from "@metacircular/mcdsl/log";
import { migrations } from "./migrations.ts";

export type Db = DB;

export function openDb(path: string, logger?: Logger): Db {
  return openDatabase(path, logger ? { migrations, logger } : { migrations });
}
