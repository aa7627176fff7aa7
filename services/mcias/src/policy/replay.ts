// Dry run: recorded login contexts replayed against a candidate rule set. The recorded decision
// is what happened; the candidate's decision (through the one engine) is what would happen. Every
// login whose effect flips (allow ↔ deny) is a change; a different deciding rule with the same
// effect is only counted.
import type { Decision, Effect, LoginContext, PolicyRule } from "./engine.ts";
import { evaluate } from "./engine.ts";

export interface RecordedLogin {
  seq: number;
  ts: number;
  username: string;
  ctx: LoginContext;
  /** The decision recorded at the time. */
  decision: Decision;
}

export interface DecisionChange {
  login: RecordedLogin;
  after: Decision;
}

export interface ReplayResult {
  replayed: number;
  /** allow ↔ deny flips, newest first. */
  changes: DecisionChange[];
  /** Same effect, another deciding rule. */
  ruleChanges: number;
}

export function replay(
  logins: readonly RecordedLogin[],
  candidate: readonly PolicyRule[],
  fallback: Effect,
): ReplayResult {
  const changes: DecisionChange[] = [];
  let ruleChanges = 0;
  for (const login of logins) {
    const after = evaluate(candidate, login.ctx, fallback);
    if (after.effect !== login.decision.effect) changes.push({ login, after });
    else if (after.ruleId !== login.decision.ruleId) ruleChanges++;
  }
  return { replayed: logins.length, changes, ruleChanges };
}
