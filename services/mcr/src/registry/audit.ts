// The audit trail: every push, pull and delete (and policy and GC changes), one row each.
import type { Database } from "@metacircular/mcdsl/db";
import type { Principal } from "./principal.ts";

export type AuditAction =
  | "push"
  | "pull"
  | "delete_manifest"
  | "delete_tag"
  | "delete_blob"
  | "mount"
  | "token_denied"
  | "policy_create"
  | "policy_delete"
  | "gc";

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  repository: string | null;
  reference: string | null;
  detail: Record<string, unknown>;
}

export interface AuditQuery {
  limit: number;
  repository?: string | undefined;
  action?: string | undefined;
  /** Only entries with a smaller id (the next page after the last one seen). */
  before?: number | undefined;
}

export class AuditLog {
  constructor(private readonly db: Database) {}

  record(
    actor: Principal | string,
    action: AuditAction,
    repository?: string,
    reference?: string,
    detail: Record<string, unknown> = {},
  ): void {
    const who = typeof actor === "string" ? actor : actor.username;
    this.db
      .prepare(
        "INSERT INTO audit_log (at, actor, action, repository, reference, detail) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(Date.now(), who, action, repository ?? null, reference ?? null, JSON.stringify(detail));
  }

  list(q: AuditQuery): AuditEntry[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_log WHERE (@repo IS NULL OR repository = @repo)
         AND (@action IS NULL OR action = @action) AND (@before IS NULL OR id < @before)
         ORDER BY id DESC LIMIT @limit`,
      )
      .all({
        repo: q.repository ?? null,
        action: q.action ?? null,
        before: q.before ?? null,
        limit: q.limit,
      }) as Array<Omit<AuditEntry, "at" | "detail"> & { at: number; detail: string }>;
    return rows.map((r) => ({
      ...r,
      at: new Date(r.at).toISOString(),
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }
}
