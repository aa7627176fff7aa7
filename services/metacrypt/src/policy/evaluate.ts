// One decision: MCIAS admins bypass; otherwise the first applicable rule in order decides, and
// when none applies the answer is the default deny. `rule` always names what decided.

import { type Identity, isAdmin } from "@metacircular/mcdsl/identity";
import { matchAny, mayCover } from "../names/name-pattern.ts";
import { orderRules, type Rule } from "./rules.ts";

export interface PolicyRequest {
  identity: Identity;
  mount: string;
  operation: string;
  names: string[];
}

export interface Decision {
  allowed: boolean;
  /** A rule id, "admin_bypass" or "default_deny". */
  rule: string;
  reason: string;
}

function subjectMatches(subject: string, id: Identity): boolean {
  if (subject === "*") return true;
  const [kind, value] = subject.split(":", 2) as [string, string];
  if (kind === "role") return id.roles.includes(value);
  const type = kind === "user" ? "human" : "system";
  return id.accountType === type && id.username === value;
}

/**
 * A rule with names applies only to requests that carry names: an allow rule when it covers
 * every name, a deny rule when it covers any of them or any of them is a wildcard that may
 * stand for a name it covers ("*.svc.example" is denied by a rule for "mcias.svc.example").
 */
function namesMatch(rule: Rule, names: string[]): boolean {
  if (!rule.names) return true;
  if (names.length === 0) return false;
  const patterns = rule.names;
  if (rule.effect === "allow") return names.every((n) => matchAny(patterns, n));
  return names.some((n) => patterns.some((p) => mayCover(p, n)));
}

export function applies(rule: Rule, req: PolicyRequest): boolean {
  return (
    subjectMatches(rule.subject, req.identity) &&
    (rule.mount === "*" || rule.mount === req.mount) &&
    (rule.operations.includes("*") || rule.operations.includes(req.operation)) &&
    namesMatch(rule, req.names)
  );
}

export function decide(rules: Rule[], req: PolicyRequest): Decision {
  if (isAdmin(req.identity))
    return { allowed: true, rule: "admin_bypass", reason: "MCIAS admins bypass policy" };
  for (const rule of orderRules(rules)) {
    if (!applies(rule, req)) continue;
    return {
      allowed: rule.effect === "allow",
      rule: rule.id,
      reason: `rule ${rule.id} (priority ${rule.priority}) ${rule.effect}s`,
    };
  }
  return { allowed: false, rule: "default_deny", reason: "no rule applies: default deny" };
}
