// Login-policy administration: the one audited use case per action that REST, gRPC, the web UI
// and (through REST) mciasctl call. Every change is audited with the rule as stored and leaves
// a new policy version (policy/versions.ts), so an edit can be rolled back like an apply.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Core } from "../app.ts";
import { ruleRecord } from "./candidate.ts";
import type { Effect, PolicyRule } from "./policy.ts";

export { ruleRecord } from "./candidate.ts";

/** A rule id from any transport: a positive integer or 400 invalid_rule_id. */
export function checkRuleId(id: number): number {
  if (!Number.isInteger(id) || id < 1)
    throw AppError.badRequest("invalid_rule_id", "rule id must be a positive integer");
  return id;
}

export function listRules(core: Core): { defaultEffect: Effect; rules: PolicyRule[] } {
  return { defaultEffect: core.cfg.policy.default, rules: core.policy.list() };
}

export function getRule(core: Core, id: number): PolicyRule {
  return core.policy.get(checkRuleId(id));
}

/** Audits a rule change and records the rule set it left as a new policy version. */
function audited(core: Core, event: string, actor: string, rule: unknown): void {
  const version = core.policyVersions.record({ actor, kind: "edit", rules: core.policy.list() });
  core.audit.append({ event, outcome: "success", actor, detail: { rule, version } });
}

export function createRule(core: Core, actor: string, input: unknown): PolicyRule {
  const rule = core.policy.create(input);
  audited(core, "policy_created", actor, ruleRecord(rule));
  return rule;
}

export function updateRule(core: Core, actor: string, id: number, input: unknown): PolicyRule {
  const rule = core.policy.update(checkRuleId(id), input);
  audited(core, "policy_updated", actor, ruleRecord(rule));
  return rule;
}

export function deleteRule(core: Core, actor: string, id: number): void {
  core.policy.delete(checkRuleId(id));
  audited(core, "policy_deleted", actor, id);
}
