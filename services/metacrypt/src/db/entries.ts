// Raw SQL for the barrier's two tables: the sealed entries and the one barrier_meta row.

import type { Database } from "@metacircular/mcdsl/db";

export interface MetaRow {
  mode: "password" | "shamir";
  kdf: string;
  salt: Buffer;
  wrapped_mek: Buffer;
  shares: number | null;
  threshold: number | null;
  created_at: string;
}

export class EntryQueries {
  private readonly sGet;
  private readonly sPut;
  private readonly sDel;
  private readonly sList;
  private readonly sDelPrefix;

  constructor(readonly db: Database) {
    this.sGet = db.prepare("SELECT value FROM entries WHERE path = ?").pluck();
    this.sPut = db.prepare(
      "INSERT INTO entries (path, value) VALUES (?, ?) ON CONFLICT(path) DO UPDATE SET value = excluded.value",
    );
    this.sDel = db.prepare("DELETE FROM entries WHERE path = ?");
    // Prefix ranges without LIKE (paths may hold % and _): [prefix, prefix + U+FFFF).
    this.sList = db
      .prepare("SELECT path FROM entries WHERE path >= ? AND path < ? ORDER BY path")
      .pluck();
    this.sDelPrefix = db.prepare("DELETE FROM entries WHERE path >= ? AND path < ?");
  }

  get(path: string): Buffer | undefined {
    return this.sGet.get(path) as Buffer | undefined;
  }
  put(path: string, value: Buffer): void {
    this.sPut.run(path, value);
  }
  delete(path: string): void {
    this.sDel.run(path);
  }
  list(prefix: string): string[] {
    return this.sList.all(prefix, `${prefix}\uffff`) as string[];
  }
  deletePrefix(prefix: string): void {
    this.sDelPrefix.run(prefix, `${prefix}\uffff`);
  }

  meta(): MetaRow | undefined {
    return this.db.prepare("SELECT * FROM barrier_meta WHERE id = 1").get() as MetaRow | undefined;
  }
  insertMeta(m: MetaRow): void {
    this.db
      .prepare(
        `INSERT INTO barrier_meta (id, mode, kdf, salt, wrapped_mek, shares, threshold, created_at)
         VALUES (1, @mode, @kdf, @salt, @wrapped_mek, @shares, @threshold, @created_at)`,
      )
      .run(m);
  }
}
