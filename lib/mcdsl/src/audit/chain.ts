// A hash chain over an append-only SQLite table. Each row's hash is SHA-256 over the JSON array
// of its content columns (in the order the service declares) followed by the previous row's
// hash; the first row links to GENESIS. A one-row head table records the newest (seq, hash), so
// cutting rows off the end is detected too. Services declare their columns and fill a row;
// the linking, the single-transaction append and the verifying walk live here once.
import { createHash } from "node:crypto";
import { cachedStatement as cached, type DB } from "../db/index.ts";

export const GENESIS = "0".repeat(64);

export interface ChainSpec {
  /** The chained table (default audit_log); it has these columns plus prev_hash and hash. */
  table?: string;
  /** The one-row head table, columns (id, seq, hash) (default audit_head). */
  headTable?: string;
  /** Content columns in hash order; the first must be seq. */
  columns: readonly string[];
}

/** A stored row: the content columns, prev_hash and hash. */
export type ChainRow = Record<string, unknown> & { seq: number; prev_hash: string; hash: string };

export type ChainProblem =
  | { seq: number; kind: "missing_rows"; from: number; to: number }
  | { seq: number; kind: "link_broken" }
  | { seq: number; kind: "altered" }
  | { seq: number; kind: "head_mismatch" }
  | { seq: 0; kind: "head_missing" };

export interface ChainWalk {
  rows: number;
  /** In walk order: row problems by ascending seq, then the head problem. */
  problems: ChainProblem[];
}

/** SHA-256 (hex) of the canonical JSON array: the content values, then the previous hash. */
export function chainHash(values: readonly unknown[], prevHash: string): string {
  return createHash("sha256")
    .update(JSON.stringify([...values, prevHash]))
    .digest("hex");
}

export class HashChain {
  private readonly table: string;
  private readonly head: string;

  constructor(
    private readonly db: DB,
    private readonly spec: ChainSpec,
  ) {
    if (spec.columns[0] !== "seq") throw new Error("the first chained column must be seq");
    this.table = spec.table ?? "audit_log";
    this.head = spec.headTable ?? "audit_head";
  }

  /** The content values of a row in hash order. */
  values(row: Record<string, unknown>): unknown[] {
    return this.spec.columns.map((c) => row[c]);
  }

  hash(row: Record<string, unknown> & { prev_hash: string }): string {
    return chainHash(this.values(row), row.prev_hash);
  }

  /**
   * Appends one row in a single transaction: `build` receives the next seq and the previous
   * hash and returns the content columns; the hash and the head are written here.
   */
  append<R extends Record<string, unknown>>(
    build: (seq: number, prevHash: string) => R,
  ): R & { seq: number; prev_hash: string; hash: string } {
    return this.db.transaction(() => {
      const head = cached(this.db, `SELECT seq, hash FROM ${this.head} WHERE id = 1`).get() as
        | { seq: number; hash: string }
        | undefined;
      const seq = (head?.seq ?? 0) + 1;
      const prev_hash = head?.hash ?? GENESIS;
      const base = { seq, ...build(seq, prev_hash), prev_hash };
      const row = { ...base, hash: this.hash(base) };
      const cols = [...this.spec.columns, "prev_hash", "hash"];
      cached(
        this.db,
        `INSERT INTO ${this.table} (${cols.join(", ")}) VALUES (${cols.map((c) => `@${c}`).join(", ")})`,
      ).run(row);
      cached(
        this.db,
        `INSERT INTO ${this.head} (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
      ).run(row.seq, row.hash);
      return row;
    })();
  }

  /**
   * Walks the whole chain: gaps in seq, broken links, rows whose hash does not match (unless
   * `alsoMatches` accepts the stored hash, e.g. for rows an older version wrote) and a head
   * that does not name the last row.
   */
  walk(alsoMatches?: (row: ChainRow) => boolean): ChainWalk {
    const problems: ChainProblem[] = [];
    let prev = GENESIS;
    let expectedSeq = 1;
    let rows = 0;
    const all = this.db.prepare(`SELECT * FROM ${this.table} ORDER BY seq`).iterate();
    for (const r of all as IterableIterator<ChainRow>) {
      rows++;
      if (r.seq !== expectedSeq)
        problems.push({ seq: r.seq, kind: "missing_rows", from: expectedSeq, to: r.seq - 1 });
      if (r.prev_hash !== prev) problems.push({ seq: r.seq, kind: "link_broken" });
      if (this.hash(r) !== r.hash && !alsoMatches?.(r))
        problems.push({ seq: r.seq, kind: "altered" });
      prev = r.hash;
      expectedSeq = r.seq + 1;
    }
    const head = this.db.prepare(`SELECT seq, hash FROM ${this.head} WHERE id = 1`).get() as
      | { seq: number; hash: string }
      | undefined;
    if (head && (head.seq !== expectedSeq - 1 || head.hash !== prev))
      problems.push({ seq: head.seq, kind: "head_mismatch" });
    if (!head && rows > 0) problems.push({ seq: 0, kind: "head_missing" });
    return { rows, problems };
  }
}
