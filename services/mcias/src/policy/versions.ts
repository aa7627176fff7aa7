// Every state of the login-policy rule set, numbered. A change of any kind (a rule edited through
// the CRUD API, a candidate applied, a rollback) ends by recording the rule set as it now stands,
// so the newest version is always what login evaluates, and any earlier one can be restored.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Db } from "../db/open.ts";
import { type RuleRecord, ruleFromRecord, ruleRecord } from "./candidate.ts";
import type { PolicyRule } from "./engine.ts";

export type VersionKind = "initial" | "edit" | "apply" | "rollback";

export interface PolicyVersion {
  version: number;
  createdAt: number;
  actor: string;
  kind: VersionKind;
  comment: string;
  /** For a rollback: the version whose rules it restored. */
  restoredFrom: number | null;
  rules: PolicyRule[];
}

interface VersionRow {
  version: number;
  created_at: number;
  actor: string;
  kind: VersionKind;
  comment: string;
  restored_from: number | null;
  rules: string;
}

function toVersion(r: VersionRow): PolicyVersion {
  return {
    version: r.version,
    createdAt: r.created_at,
    actor: r.actor,
    kind: r.kind,
    comment: r.comment,
    restoredFrom: r.restored_from,
    rules: (JSON.parse(r.rules) as RuleRecord[]).map(ruleFromRecord),
  };
}

export interface NewVersion {
  actor: string;
  kind: Exclude<VersionKind, "initial">;
  comment?: string;
  restoredFrom?: number;
  rules: readonly PolicyRule[];
}

export class PolicyVersions {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Newest first, at most `limit`. */
  list(limit = 100): PolicyVersion[] {
    const rows = this.db
      .prepare("SELECT * FROM policy_versions ORDER BY version DESC LIMIT ?")
      .all(Math.min(Math.max(limit, 1), 1000)) as VersionRow[];
    return rows.map(toVersion);
  }

  get(version: number): PolicyVersion {
    const r = this.db.prepare("SELECT * FROM policy_versions WHERE version = ?").get(version) as
      | VersionRow
      | undefined;
    if (!r) throw AppError.notFound("version_not_found", `no policy version ${version}`);
    return toVersion(r);
  }

  /** The number of the newest version (what login evaluates now). */
  current(): number {
    const r = this.db.prepare("SELECT MAX(version) AS v FROM policy_versions").get() as {
      v: number | null;
    };
    return r.v ?? 0;
  }

  /** The highest rule id any version or the live table ever held (new rules go above it). */
  highestRuleId(): number {
    const r = this.db
      .prepare(
        `SELECT MAX(m) AS m FROM (
           SELECT MAX(json_extract(j.value, '$.id')) AS m FROM policy_versions, json_each(policy_versions.rules) AS j
           UNION ALL SELECT MAX(id) FROM policy_rules)`,
      )
      .get() as { m: number | null };
    return r.m ?? 0;
  }

  record(v: NewVersion): number {
    const res = this.db
      .prepare(
        `INSERT INTO policy_versions (created_at, actor, kind, comment, restored_from, rules)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.now(),
        v.actor,
        v.kind,
        v.comment ?? "",
        v.restoredFrom ?? null,
        JSON.stringify(v.rules.map(ruleRecord)),
      );
    return Number(res.lastInsertRowid);
  }
}
