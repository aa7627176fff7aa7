// Online snapshot through SQLite's backup API. All remaining pages are copied in one step, which
// runs inside one read transaction: the copy is a consistent point-in-time image even while
// other connections keep writing (a multi-step backup would restart on every foreign write).
import { renameSync, rmSync } from "node:fs";
import type Database from "better-sqlite3";
import type { Logger } from "pino";
import { chmodBestEffort } from "./open.ts";

const ALL_PAGES = 0x7fffffff;

export async function snapshot(
  db: Database.Database,
  destPath: string,
  opts: { logger?: Logger } = {},
): Promise<{ pages: number }> {
  const tmp = `${destPath}.partial-${process.pid}`;
  rmSync(tmp, { force: true });
  try {
    const res = await db.backup(tmp, { progress: () => ALL_PAGES });
    chmodBestEffort(tmp, 0o600, opts.logger);
    renameSync(tmp, destPath);
    return { pages: res.totalPages };
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
