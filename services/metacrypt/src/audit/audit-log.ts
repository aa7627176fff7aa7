// The hash-chained decision log: each row's hash covers its fields and the previous row's hash,
// audit_head holds the newest (seq, hash) so cutting rows off the end is detected as well, and
// triggers refuse UPDATE and DELETE. Rows carry who, what and the deciding rule; never a secret.

import { createHash } from "node:crypto";
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

const GENESIS = "0".repeat(64);

/** Text as SQLite stores it: lone surrogates become U+FFFD, so the hash stays reproducible. */
const clean = (s: string | null | undefined): string | null =>
  s === null || s === undefined ? null : s.replace(/[\uD800-\uDFFF]/gu, "\uFFFD");

export function rowHash(r: Omit<AuditRow, "hash">): string {
  const fields = [r.seq, r.ts, r.actor, r.action, r.mount, r.target, r.decision, r.rule, r.detail];
  return createHash("sha256")
    .update(JSON.stringify([...fields, r.prev_hash]))
    .digest("hex");
}

export class AuditLog {
  constructor(private readonly db: Database) {}

  append(e: AuditEvent): AuditRow {
    return this.db.transaction((): AuditRow => {
      const head = this.db.prepare("SELECT seq, hash FROM audit_head WHERE id = 1").get() as
        | { seq: number; hash: string }
        | undefined;
      const base: Omit<AuditRow, "hash"> = {
        seq: (head?.seq ?? 0) + 1,
        ts: new Date().toISOString(),
        actor: clean(e.actor)!,
        action: clean(e.action)!,
        mount: clean(e.mount),
        target: clean(e.target),
        decision: e.decision,
        rule: clean(e.rule),
        detail: JSON.stringify(e.detail ?? {}),
        prev_hash: head?.hash ?? GENESIS,
      };
      const row = { ...base, hash: rowHash(base) };
      this.db
        .prepare(
          `INSERT INTO audit_log (seq, ts, actor, action, mount, target, decision, rule, detail, prev_hash, hash)
           VALUES (@seq, @ts, @actor, @action, @mount, @target, @decision, @rule, @detail, @prev_hash, @hash)`,
        )
        .run(row);
      this.db
        .prepare(
          "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        )
        .run(row.seq, row.hash);
      return row;
    })();
  }

  list(q: { actor?: string | undefined; mount?: string | undefined; limit: number }): AuditRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.actor) where.push("actor = ?") && args.push(q.actor);
    if (q.mount) where.push("mount = ?") && args.push(q.mount);
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`;
    return this.db.prepare(sql).all(...args, q.limit) as AuditRow[];
  }

  /** Walks the chain from the start; the first broken link is reported. */
  verify(): { ok: boolean; rows: number; problem?: string } {
    let prev = GENESIS;
    let rows = 0;
    for (const r of this.db
      .prepare("SELECT * FROM audit_log ORDER BY seq")
      .iterate() as Iterable<AuditRow>) {
      rows++;
      const { hash, ...rest } = r;
      if (r.prev_hash !== prev) return { ok: false, rows, problem: `row ${r.seq}: chain broken` };
      if (rowHash(rest) !== hash)
        return { ok: false, rows, problem: `row ${r.seq}: hash mismatch` };
      prev = hash;
    }
    const head = this.db.prepare("SELECT seq, hash FROM audit_head WHERE id = 1").get() as
      | { seq: number; hash: string }
      | undefined;
    if ((head?.hash ?? GENESIS) !== prev)
      return { ok: false, rows, problem: "head does not match the last row" };
    return { ok: true, rows };
  }
}
