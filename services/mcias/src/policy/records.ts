// The snake_case JSON shapes of the policy tools' answers (REST bodies; MCAT reads these). One
// function per result, so the REST routes only translate.
import { ruleRecord } from "./candidate.ts";
import { explainMismatch, type Mismatch } from "./engine.ts";
import type { LintFinding } from "./lint.ts";
import type { DryRunResult, LintResult } from "./rehearsal.ts";
import type { TraceResult } from "./trace-login.ts";
import type { PolicyVersion } from "./versions.ts";

const iso = (ms: number) => new Date(ms).toISOString();

export function mismatchRecord(m: Mismatch) {
  return { ...m, explanation: explainMismatch(m) };
}

export function traceRecord(t: TraceResult) {
  return {
    account: {
      username: t.account.username,
      type: t.account.type,
      roles: t.account.roles,
      status: t.account.status,
    },
    service_name: t.serviceName,
    tags: t.tags,
    credentials: t.credentials,
    second_factor_required: t.secondFactorRequired,
    version: t.version,
    default: t.defaultEffect,
    effect: t.trace.effect,
    rule: t.trace.ruleId,
    would_log_in: t.wouldLogIn,
    steps: t.trace.steps.map((s) => ({
      rule: ruleRecord(s.rule),
      matched: s.mismatches.length === 0,
      mismatches: s.mismatches.map(mismatchRecord),
    })),
  };
}

export function dryRunRecord(r: DryRunResult) {
  return {
    version: r.version,
    replayed: r.replayed,
    skipped: r.skipped,
    rule_changes: r.ruleChanges,
    changes: r.changes.map((c) => ({
      seq: c.login.seq,
      time: iso(c.login.ts),
      username: c.login.username,
      roles: c.login.ctx.roles,
      account_type: c.login.ctx.accountType,
      service_name: c.login.ctx.serviceName,
      tags: c.login.ctx.tags,
      before: { effect: c.login.decision.effect, rule: c.login.decision.ruleId },
      after: { effect: c.after.effect, rule: c.after.ruleId },
    })),
  };
}

export function versionRecord(v: PolicyVersion) {
  return {
    version: v.version,
    created_at: iso(v.createdAt),
    actor: v.actor,
    kind: v.kind,
    comment: v.comment,
    restored_from: v.restoredFrom,
    rules: v.rules.map(ruleRecord),
  };
}

export function findingRecord(f: LintFinding) {
  return {
    kind: f.kind,
    severity: f.severity,
    rule: f.ruleId,
    other_rule: f.otherRuleId ?? null,
    names: f.names ?? [],
    message: f.message,
  };
}

export function lintRecord(r: LintResult) {
  return {
    version: r.version,
    findings: r.findings.map(findingRecord),
    rules: r.rules.map(ruleRecord),
  };
}
