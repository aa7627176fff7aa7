// Append-only, hash-chained audit log. Each row's hash covers its own fields and the previous
// row's hash; audit_head records the latest (seq, hash) so that removing the newest rows is
// detected too. SQLite triggers refuse UPDATE and DELETE on audit_log.
//
// The hash must cover exactly what SQLite stores. A JavaScript string may hold a lone UTF-16
// surrogate (a JSON body can carry "\ud800"); SQLite would store it as bytes that read back as
// different text, while JSON.stringify would hash it as an escape, so the row would fail
// verification for ever. Every text field is therefore made well-formed (lone surrogates
// become U+FFFD) before it is hashed and stored, and rowHash refuses ill-formed input.
import { createHash } from "node:crypto";
import type { Db } from "../db/open.ts";
import { stmt } from "../db/statements.ts";

export type AuditOutcome = "success" | "failure" | "denied" | "info";

export interface AuditEvent {
  event: string;
  actor?: string | null;
  subject?: string | null;
  ip?: string | null;
  outcome: AuditOutcome;
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  seq: number;
  ts: number;
  event: string;
  actor: string | null;
  subject: string | null;
  ip: string | null;
  outcome: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface AuditQuery {
  event?: string;
  actor?: string;
  subject?: string;
  sinceSeq?: number;
  limit?: number;
}

export interface VerifyResult {
  ok: boolean;
  rows: number;
  problems: { seq: number; problem: string }[];
}

const GENESIS = "0".repeat(64);
/** With the u flag a surrogate class matches only unpaired surrogates. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const LONE_SURROGATES = /[\uD800-\uDFFF]/gu;

/** The string as it will read back from SQLite: lone surrogates replaced by U+FFFD. */
export function wellFormed(s: string): string {
  return LONE_SURROGATE.test(s) ? s.replace(LONE_SURROGATES, "\uFFFD") : s;
}

function wellFormedOrNull(s: string | null | undefined): string | null {
  return s === null || s === undefined ? null : wellFormed(String(s));
}

export function rowHash(r: Omit<AuditRow, "hash">): string {
  for (const v of [r.event, r.actor, r.subject, r.ip, r.outcome, r.detail])
    if (typeof v === "string" && LONE_SURROGATE.test(v))
      throw new Error("audit rows must hold well-formed text");
  const canonical = JSON.stringify([
    r.seq,
    r.ts,
    r.event,
    r.actor,
    r.subject,
    r.ip,
    r.outcome,
    r.detail,
    r.prev_hash,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

/** UTF-8 that may also hold encoded surrogates (ED A0..BF xx), decoded to lone code units. */
function decodeWtf8(b: Buffer): string {
  let out = "";
  let from = 0;
  for (let i = 0; i + 2 < b.length; i++) {
    if (b[i] !== 0xed || b[i + 1]! < 0xa0 || b[i + 1]! > 0xbf || (b[i + 2]! & 0xc0) !== 0x80)
      continue;
    out += b.subarray(from, i).toString("utf8");
    out += String.fromCharCode(0xd000 | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f));
    from = i + 3;
    i += 2;
  }
  return out + b.subarray(from).toString("utf8");
}

export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  append(e: AuditEvent): AuditRow {
    return this.db.transaction((): AuditRow => {
      const head = stmt(this.db, "SELECT seq, hash FROM audit_head WHERE id = 1").get() as
        | { seq: number; hash: string }
        | undefined;
      const base: Omit<AuditRow, "hash"> = {
        seq: (head?.seq ?? 0) + 1,
        ts: this.now(),
        event: wellFormed(e.event),
        actor: wellFormedOrNull(e.actor),
        subject: wellFormedOrNull(e.subject),
        ip: wellFormedOrNull(e.ip),
        outcome: wellFormed(e.outcome),
        // JSON.stringify writes lone surrogates as \u escapes: the text is well-formed ASCII.
        detail: JSON.stringify(e.detail ?? {}),
        prev_hash: head?.hash ?? GENESIS,
      };
      const row: AuditRow = { ...base, hash: rowHash(base) };
      stmt(
        this.db,
        `INSERT INTO audit_log (seq, ts, event, actor, subject, ip, outcome, detail, prev_hash, hash)
           VALUES (@seq, @ts, @event, @actor, @subject, @ip, @outcome, @detail, @prev_hash, @hash)`,
      ).run(row);
      stmt(
        this.db,
        "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
      ).run(row.seq, row.hash);
      return row;
    })();
  }

  query(q: AuditQuery = {}): AuditRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.event) {
      where.push("event = ?");
      args.push(q.event);
    }
    if (q.actor) {
      where.push("actor = ?");
      args.push(q.actor);
    }
    if (q.subject) {
      where.push("subject = ?");
      args.push(q.subject);
    }
    if (q.sinceSeq !== undefined) {
      where.push("seq > ?");
      args.push(q.sinceSeq);
    }
    const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ${limit}`;
    return this.db.prepare(sql).all(...args) as AuditRow[];
  }

  /**
   * Rows written before text was made well-formed may hold a lone surrogate, stored by SQLite
   * as its 3-byte (WTF-8) form and hashed as a JSON escape. Read back as text those bytes turn
   * into U+FFFD, so such a row is re-read as bytes, decoded with its surrogates, and hashed the
   * way it was written; a genuinely edited row still fails.
   */
  private legacyRowMatches(seq: number, hash: string): boolean {
    const raw = this.db
      .prepare(
        `SELECT seq, ts, CAST(event AS BLOB) AS event, CAST(actor AS BLOB) AS actor,
                CAST(subject AS BLOB) AS subject, CAST(ip AS BLOB) AS ip,
                CAST(outcome AS BLOB) AS outcome, CAST(detail AS BLOB) AS detail, prev_hash
           FROM audit_log WHERE seq = ?`,
      )
      .get(seq) as Record<string, unknown>;
    const text = (v: unknown) => (v === null ? null : decodeWtf8(v as Buffer));
    const canonical = JSON.stringify([
      raw.seq,
      raw.ts,
      text(raw.event),
      text(raw.actor),
      text(raw.subject),
      text(raw.ip),
      text(raw.outcome),
      text(raw.detail),
      raw.prev_hash,
    ]);
    return createHash("sha256").update(canonical).digest("hex") === hash;
  }

  /** Walks the whole chain: gaps, edited rows, broken links and a truncated tail are reported. */
  verify(): VerifyResult {
    const problems: VerifyResult["problems"] = [];
    let prev = GENESIS;
    let expectedSeq = 1;
    let rows = 0;
    for (const r of this.db
      .prepare("SELECT * FROM audit_log ORDER BY seq")
      .iterate() as IterableIterator<AuditRow>) {
      rows++;
      if (r.seq !== expectedSeq)
        problems.push({ seq: r.seq, problem: `missing rows ${expectedSeq}..${r.seq - 1}` });
      if (r.prev_hash !== prev) problems.push({ seq: r.seq, problem: "chain link broken" });
      const { hash, ...rest } = r;
      if (rowHash(rest) !== hash && !this.legacyRowMatches(r.seq, hash))
        problems.push({ seq: r.seq, problem: "row content altered" });
      prev = hash;
      expectedSeq = r.seq + 1;
    }
    const head = this.db.prepare("SELECT seq, hash FROM audit_head WHERE id = 1").get() as
      | { seq: number; hash: string }
      | undefined;
    if (head && (head.seq !== expectedSeq - 1 || head.hash !== prev))
      problems.push({ seq: head.seq, problem: "newest rows missing (head mismatch)" });
    if (!head && rows > 0) problems.push({ seq: 0, problem: "audit head missing" });
    return { ok: problems.length === 0, rows, problems };
  }
}
