// The hash-chained decision log: each row's hash covers its fields and the previous row's hash,
// audit_head holds the newest (seq, hash) so cutting rows off the end is detected as well, and
// triggers refuse UPDATE and DELETE. Rows carry who, what and the deciding rule; never a secret.
// The chain mechanism is HashChain from @metacircular/mcdsl/audit; this file names the columns.

import { type ChainProblem, HashChain } from "@metacircular/mcdsl/audit";
import type { Database } from "@metacircular/mcdsl/db";

export interface AuditEvent {
  actor: string;
  action: string;
  mount?: string | null;
  target?: string | null;
  decision: "allow" | "deny" | "info";
  rule?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditQuery {
  actor?: string | undefined;
  mount?: string | undefined;
  /** Only rows older than this seq (paging newest first). */
  before?: number | undefined;
  limit: number;
}

export interface AuditRow {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  mount: string | null;
  target: string | null;
  decision: string;
  rule: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

/** Text as SQLite stores it: lone surrogates become U+FFFD, so the hash stays reproducible. */
const clean = (s: string | null | undefined): string | null =>
  s === null || s === undefined ? null : s.replace(/[\uD800-\uDFFF]/gu, "\uFFFD");

/** The chained columns, in hash order (the order every stored hash was computed in). */
const COLUMNS = [
  "seq",
  "ts",
  "actor",
  "action",
  "mount",
  "target",
  "decision",
  "rule",
  "detail",
] as const;

/** The first problem of a walk as this log has always reported it. */
function describe(p: ChainProblem): string {
  if (p.kind === "link_broken") return `row ${p.seq}: chain broken`;
  if (p.kind === "altered") return `row ${p.seq}: hash mismatch`;
  return "head does not match the last row";
}

interface Waiting {
  event: AuditEvent;
  resolve: (row: AuditRow) => void;
  reject: (err: unknown) => void;
}

export class AuditLog {
  private readonly chain: HashChain;
  /** Events recorded in this turn of the event loop, committed together by flush(). */
  private waiting: Waiting[] = [];

  constructor(private readonly db: Database) {
    this.chain = new HashChain(db, { columns: COLUMNS });
  }

  /**
   * Group commit: the event is appended at the end of this turn of the event loop in one
   * transaction with every other event recorded in the same turn (concurrent engine requests),
   * and the promise resolves once that transaction has committed, so a caller that awaits it
   * acts only on a decision already in the log. Rows keep the order of the calls.
   */
  record(event: AuditEvent): Promise<AuditRow> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.waiting;
    this.waiting = [];
    let rows: AuditRow[];
    try {
      rows = this.db.transaction(() => batch.map((w) => this.append(w.event)))();
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    for (const [i, w] of batch.entries()) w.resolve(rows[i]!);
  }

  append(e: AuditEvent): AuditRow {
    return this.chain.append(() => ({
      ts: new Date().toISOString(),
      actor: clean(e.actor)!,
      action: clean(e.action)!,
      mount: clean(e.mount),
      target: clean(e.target),
      decision: e.decision,
      rule: clean(e.rule),
      detail: JSON.stringify(e.detail ?? {}),
    }));
  }

  list(q: AuditQuery): AuditRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.actor) where.push("actor = ?") && args.push(q.actor);
    if (q.mount) where.push("mount = ?") && args.push(q.mount);
    if (q.before) where.push("seq < ?") && args.push(q.before);
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`;
    return this.db.prepare(sql).all(...args, q.limit) as AuditRow[];
  }

  /** Walks the chain from the start; the first broken link is reported. */
  verify(): { ok: boolean; rows: number; problem?: string } {
    const walk = this.chain.walk();
    // A gap in seq also breaks the link of the row after it, which is what gets reported.
    const first = walk.problems.find((p) => p.kind !== "missing_rows");
    if (!first) return { ok: true, rows: walk.rows };
    const rows =
      first.kind === "link_broken" || first.kind === "altered"
        ? this.rowsUpTo(first.seq)
        : walk.rows;
    return { ok: false, rows, problem: describe(first) };
  }

  private rowsUpTo(seq: number): number {
    const r = this.db.prepare("SELECT count(*) AS n FROM audit_log WHERE seq <= ?").get(seq);
    return (r as { n: number }).n;
  }
}
