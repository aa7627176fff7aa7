// Append-only, hash-chained audit log. Each row's hash covers its own fields and the previous
// row's hash; audit_head records the latest (seq, hash) so that removing the newest rows is
// detected too. SQLite triggers refuse UPDATE and DELETE on audit_log.
//
// The hash must cover exactly what SQLite stores. A JavaScript string may hold a lone UTF-16
// surrogate (a JSON body can carry "\ud800"); SQLite would store it as bytes that read back as
// different text, while JSON.stringify would hash it as an escape, so the row would fail
// verification for ever. Every text field is therefore made well-formed (lone surrogates
// become U+FFFD) before it is hashed and stored, and append refuses ill-formed input. The
// chain itself (hashing, linking, the verifying walk) is HashChain from @metacircular/mcdsl/audit.
import { type ChainProblem, type ChainRow, HashChain } from "@metacircular/mcdsl/audit";
import type { Db } from "../db/open.ts";

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

/** The chained columns, in hash order (the order every stored hash was computed in). */
const COLUMNS = ["seq", "ts", "event", "actor", "subject", "ip", "outcome", "detail"] as const;

function assertWellFormed(r: Omit<AuditRow, "hash" | "seq" | "prev_hash">): void {
  for (const v of [r.event, r.actor, r.subject, r.ip, r.outcome, r.detail])
    if (typeof v === "string" && LONE_SURROGATE.test(v))
      throw new Error("audit rows must hold well-formed text");
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

const PROBLEM_TEXT: Record<Exclude<ChainProblem["kind"], "missing_rows">, string> = {
  link_broken: "chain link broken",
  altered: "row content altered",
  head_mismatch: "newest rows missing (head mismatch)",
  head_missing: "audit head missing",
};

export class AuditLog {
  private readonly chain: HashChain;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.chain = new HashChain(db, { columns: COLUMNS });
  }

  append(e: AuditEvent): AuditRow {
    return this.chain.append(() => {
      const fields = {
        ts: this.now(),
        event: wellFormed(e.event),
        actor: wellFormedOrNull(e.actor),
        subject: wellFormedOrNull(e.subject),
        ip: wellFormedOrNull(e.ip),
        outcome: wellFormed(e.outcome),
        // JSON.stringify writes lone surrogates as \u escapes: the text is well-formed ASCII.
        detail: JSON.stringify(e.detail ?? {}),
      };
      assertWellFormed(fields);
      return fields;
    });
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
  private legacyRowMatches(row: ChainRow): boolean {
    const raw = this.db
      .prepare(
        `SELECT seq, ts, CAST(event AS BLOB) AS event, CAST(actor AS BLOB) AS actor,
                CAST(subject AS BLOB) AS subject, CAST(ip AS BLOB) AS ip,
                CAST(outcome AS BLOB) AS outcome, CAST(detail AS BLOB) AS detail, prev_hash
           FROM audit_log WHERE seq = ?`,
      )
      .get(row.seq) as Record<string, unknown> & { prev_hash: string };
    const text = (v: unknown) => (v === null ? null : decodeWtf8(v as Buffer));
    const decoded = { ...raw };
    for (const c of COLUMNS.slice(2)) decoded[c] = text(raw[c]);
    return this.chain.hash(decoded) === row.hash;
  }

  /** Walks the whole chain: gaps, edited rows, broken links and a truncated tail are reported. */
  verify(): VerifyResult {
    const walk = this.chain.walk((r) => this.legacyRowMatches(r));
    const problems = walk.problems.map((p) => ({
      seq: p.seq,
      problem: p.kind === "missing_rows" ? `missing rows ${p.from}..${p.to}` : PROBLEM_TEXT[p.kind],
    }));
    return { ok: problems.length === 0, rows: walk.rows, problems };
  }
}
