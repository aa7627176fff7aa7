// The policy rules in SQLite, held sorted in memory (every token request and catalog listing
// evaluates them) and reloaded on each change.
import type { Database } from "@metacircular/mcdsl/db";
import { AppError } from "@metacircular/mcdsl/errors";
import { z } from "zod";
import type { Principal } from "../registry/principal.ts";
import { ACTIONS, type Action, type Decision, decide, type Rule, sortRules } from "./rules.ts";

export const ruleInput = z.strictObject({
  priority: z.number().int().min(0).max(1_000_000),
  repository: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[a-z0-9._/*-]+$/, "repository pattern: lower-case name characters, / and *"),
  subject_kind: z.enum(["user", "system", "role", "any"]),
  subject: z.string().max(128).default(""),
  actions: z.array(z.enum(ACTIONS as [Action, ...Action[]])).min(1),
  effect: z.enum(["allow", "deny"]),
});
export type RuleInput = z.infer<typeof ruleInput>;

interface RuleRow {
  id: number;
  priority: number;
  repository: string;
  subject_kind: "user" | "system" | "role" | "any";
  subject: string;
  actions: string;
  effect: "allow" | "deny";
}

export interface RuleView extends RuleInput {
  id: number;
}

function toRule(r: RuleRow): Rule {
  return {
    id: r.id,
    priority: r.priority,
    repository: r.repository,
    subject: r.subject_kind === "any" ? { kind: "any" } : { kind: r.subject_kind, name: r.subject },
    actions: r.actions.split(",") as Action[],
    effect: r.effect,
  };
}

export class PolicyStore {
  private rules: Rule[] = [];

  constructor(private readonly db: Database) {
    this.reload();
  }

  private reload(): void {
    const rows = this.db.prepare("SELECT * FROM policy_rules").all() as RuleRow[];
    this.rules = sortRules(rows.map(toRule));
  }

  decide(p: Principal, repo: string, action: Action): Decision {
    return decide(this.rules, p, repo, action);
  }

  allows(p: Principal, repo: string, action: Action): boolean {
    return this.decide(p, repo, action).allowed;
  }

  list(): RuleView[] {
    return this.rules.map((r) => ({
      id: r.id,
      priority: r.priority,
      repository: r.repository,
      subject_kind: r.subject.kind,
      subject: r.subject.kind === "any" ? "" : r.subject.name,
      actions: r.actions,
      effect: r.effect,
    }));
  }

  create(input: RuleInput): RuleView {
    if (input.subject_kind !== "any" && input.subject === "")
      throw AppError.badRequest(
        "subject_required",
        `subject_kind ${input.subject_kind} needs a subject`,
      );
    const info = this.db
      .prepare(
        "INSERT INTO policy_rules (priority, repository, subject_kind, subject, actions, effect, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(
        input.priority,
        input.repository,
        input.subject_kind,
        input.subject_kind === "any" ? "" : input.subject,
        [...new Set(input.actions)].join(","),
        input.effect,
        Date.now(),
      );
    this.reload();
    return this.list().find((r) => r.id === Number(info.lastInsertRowid))!;
  }

  delete(id: number): void {
    const n = this.db.prepare("DELETE FROM policy_rules WHERE id = ?").run(id);
    if (n.changes === 0) throw AppError.notFound("policy_not_found", `no policy rule ${id}`);
    this.reload();
  }
}
