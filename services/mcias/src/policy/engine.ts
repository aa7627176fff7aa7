// The one login-policy engine. A rule matches when every non-empty criterion matches: the
// account has any listed role, its type is listed, the requested service is listed, and the
// service context carries every listed tag. The lowest priority number is evaluated first (ties
// by id); the first match decides; otherwise the default. `trace` is the same walk that also
// says, for each rule before the deciding one, which criteria did not match; `evaluate` is that
// walk without the reasons. Login, the trace API, dry runs and lint all use this file only.
import type { AccountType, Role } from "../accounts/accounts.ts";

export type Effect = "allow" | "deny";

export interface PolicyRule {
  id: number;
  priority: number;
  effect: Effect;
  roles: string[];
  accountTypes: string[];
  serviceNames: string[];
  tags: string[];
  description: string;
}

export interface LoginContext {
  roles: Role[];
  accountType: AccountType;
  serviceName: string;
  tags: string[];
}

export interface Decision {
  effect: Effect;
  /** The deciding rule, or null when the default applied. */
  ruleId: number | null;
}

/** Why one criterion of a rule did not match the context. */
export type Mismatch =
  | { criterion: "roles"; wanted: string[]; had: string[] }
  | { criterion: "account_types"; wanted: string[]; had: string }
  | { criterion: "service_names"; wanted: string[]; had: string }
  | { criterion: "tags"; wanted: string[]; missing: string[] };

export interface TraceStep {
  rule: PolicyRule;
  /** Empty for the deciding rule; the failed criteria for every rule evaluated before it. */
  mismatches: Mismatch[];
}

export interface Trace extends Decision {
  /** The rules in evaluation order up to and including the deciding one (all when the default applied). */
  steps: TraceStep[];
}

/** Every criterion of `rule` that the context fails; empty = the rule matches. */
export function mismatches(rule: PolicyRule, ctx: LoginContext): Mismatch[] {
  const out: Mismatch[] = [];
  if (rule.roles.length && !rule.roles.some((r) => ctx.roles.includes(r as Role)))
    out.push({ criterion: "roles", wanted: rule.roles, had: [...ctx.roles] });
  if (rule.accountTypes.length && !rule.accountTypes.includes(ctx.accountType))
    out.push({ criterion: "account_types", wanted: rule.accountTypes, had: ctx.accountType });
  if (rule.serviceNames.length && !rule.serviceNames.includes(ctx.serviceName))
    out.push({ criterion: "service_names", wanted: rule.serviceNames, had: ctx.serviceName });
  const missing = rule.tags.filter((t) => !ctx.tags.includes(t));
  if (missing.length) out.push({ criterion: "tags", wanted: rule.tags, missing });
  return out;
}

export function ruleMatches(rule: PolicyRule, ctx: LoginContext): boolean {
  return mismatches(rule, ctx).length === 0;
}

/** The rules in evaluation order: priority ascending, ties by id. */
export function evaluationOrder(rules: readonly PolicyRule[]): PolicyRule[] {
  return [...rules].sort((a, b) => a.priority - b.priority || a.id - b.id);
}

export function trace(rules: readonly PolicyRule[], ctx: LoginContext, fallback: Effect): Trace {
  const steps: TraceStep[] = [];
  for (const rule of evaluationOrder(rules)) {
    const m = mismatches(rule, ctx);
    steps.push({ rule, mismatches: m });
    if (m.length === 0) return { effect: rule.effect, ruleId: rule.id, steps };
  }
  return { effect: fallback, ruleId: null, steps };
}

export function evaluate(
  rules: readonly PolicyRule[],
  ctx: LoginContext,
  fallback: Effect,
): Decision {
  for (const r of evaluationOrder(rules))
    if (ruleMatches(r, ctx)) return { effect: r.effect, ruleId: r.id };
  return { effect: fallback, ruleId: null };
}

/** A human sentence for one mismatch (the trace page and CLI output). */
export function explainMismatch(m: Mismatch): string {
  switch (m.criterion) {
    case "roles":
      return `needs a role in [${m.wanted.join(", ")}]; the account has [${m.had.join(", ")}]`;
    case "account_types":
      return `needs account type ${m.wanted.join(" or ")}; the account is ${m.had}`;
    case "service_names":
      return `applies to ${m.wanted.join(", ")}; the login is for ${m.had}`;
    case "tags":
      return `needs tags [${m.wanted.join(", ")}]; missing [${m.missing.join(", ")}]`;
  }
}
