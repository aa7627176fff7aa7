// Login policy storage: the rules table (CRUD and whole-set replacement for versioned applies).
// Evaluation is src/policy/engine.ts, the one engine; its types are re-exported here.
import { AppError } from "@metacircular/mcdsl/errors";
import { z } from "zod";
import type { Db } from "../db/open.ts";
import type { Effect, PolicyRule } from "./engine.ts";

export {
  type Decision,
  type Effect,
  evaluate,
  type LoginContext,
  type PolicyRule,
  ruleMatches,
} from "./engine.ts";

export const ruleInputSchema = z
  .object({
    priority: z.number().int().min(0).max(1_000_000),
    effect: z.enum(["allow", "deny"]),
    roles: z.array(z.enum(["admin", "user", "guest"])).default([]),
    account_types: z.array(z.enum(["human", "system"])).default([]),
    service_names: z.array(z.string().min(1).max(128)).default([]),
    tags: z.array(z.string().min(1).max(128)).default([]),
    description: z.string().max(500).default(""),
  })
  .strict();
export type RuleInput = z.input<typeof ruleInputSchema>;

interface RuleRow {
  id: number;
  priority: number;
  effect: Effect;
  roles: string;
  account_types: string;
  service_names: string;
  tags: string;
  description: string;
}

function toRule(r: RuleRow): PolicyRule {
  return {
    id: r.id,
    priority: r.priority,
    effect: r.effect,
    roles: JSON.parse(r.roles),
    accountTypes: JSON.parse(r.account_types),
    serviceNames: JSON.parse(r.service_names),
    tags: JSON.parse(r.tags),
    description: r.description,
  };
}

function parseInput(input: unknown) {
  const r = ruleInputSchema.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw AppError.badRequest("invalid_rule", `${i.path.join(".") || "rule"}: ${i.message}`);
  }
  return r.data;
}

export class PolicyStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  list(): PolicyRule[] {
    return (
      this.db.prepare("SELECT * FROM policy_rules ORDER BY priority, id").all() as RuleRow[]
    ).map(toRule);
  }

  get(id: number): PolicyRule {
    const r = this.db.prepare("SELECT * FROM policy_rules WHERE id = ?").get(id) as
      | RuleRow
      | undefined;
    if (!r) throw AppError.notFound("rule_not_found", "no such policy rule");
    return toRule(r);
  }

  create(input: unknown): PolicyRule {
    const d = parseInput(input);
    const ts = this.now();
    const res = this.db
      .prepare(
        `INSERT INTO policy_rules (priority, effect, roles, account_types, service_names, tags, description, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        d.priority,
        d.effect,
        JSON.stringify(d.roles),
        JSON.stringify(d.account_types),
        JSON.stringify(d.service_names),
        JSON.stringify(d.tags),
        d.description,
        ts,
        ts,
      );
    return this.get(Number(res.lastInsertRowid));
  }

  update(id: number, input: unknown): PolicyRule {
    this.get(id);
    const d = parseInput(input);
    this.db
      .prepare(
        `UPDATE policy_rules SET priority = ?, effect = ?, roles = ?, account_types = ?, service_names = ?,
         tags = ?, description = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        d.priority,
        d.effect,
        JSON.stringify(d.roles),
        JSON.stringify(d.account_types),
        JSON.stringify(d.service_names),
        JSON.stringify(d.tags),
        d.description,
        this.now(),
        id,
      );
    return this.get(id);
  }

  delete(id: number): void {
    this.get(id);
    this.db.prepare("DELETE FROM policy_rules WHERE id = ?").run(id);
  }
}

/** Replaces the whole rule set in one transaction, keeping each rule's id. */
export function replaceRules(db: Db, rules: readonly PolicyRule[], ts: number): void {
  const insert = db.prepare(
    `INSERT INTO policy_rules (id, priority, effect, roles, account_types, service_names, tags, description, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    db.prepare("DELETE FROM policy_rules").run();
    for (const r of rules)
      insert.run(
        r.id,
        r.priority,
        r.effect,
        JSON.stringify(r.roles),
        JSON.stringify(r.accountTypes),
        JSON.stringify(r.serviceNames),
        JSON.stringify(r.tags),
        r.description,
        ts,
        ts,
      );
  })();
}
