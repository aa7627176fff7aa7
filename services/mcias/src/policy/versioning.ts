// Applying a rule set in one step, and rolling back to any earlier version (admin). Both replace
// the live rules in one transaction with the new version's record, and are audited. An apply may
// name the version it was rehearsed against (`base_version`): when the live version has moved
// on since, it is refused (409 version_conflict) so a dry run is never applied to other rules.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Core } from "../app.ts";
import { parseCandidate, ruleRecord } from "./candidate.ts";
import type { PolicyRule } from "./engine.ts";
import { replaceRules } from "./policy.ts";
import type { PolicyVersion } from "./versions.ts";

function install(
  core: Core,
  rules: PolicyRule[],
  v: { actor: string; kind: "apply" | "rollback"; comment: string; restoredFrom?: number },
): PolicyVersion {
  const version = core.db.transaction(() => {
    replaceRules(core.db, rules, core.now());
    return core.policyVersions.record({ ...v, rules });
  })();
  core.audit.append({
    event: v.kind === "apply" ? "policy_applied" : "policy_rolled_back",
    outcome: "success",
    actor: v.actor,
    detail: {
      version,
      ...(v.restoredFrom === undefined ? {} : { restored_from: v.restoredFrom }),
      comment: v.comment,
      rules: rules.map(ruleRecord),
    },
  });
  return core.policyVersions.get(version);
}

function comment(v: unknown): string {
  if (v === undefined) return "";
  if (typeof v !== "string" || v.length > 500)
    throw AppError.badRequest(
      "invalid_comment",
      "comment must be a string of at most 500 characters",
    );
  return v;
}

/** Body: { rules: [...candidate], comment?, base_version? }. */
export function applyPolicy(core: Core, actor: string, input: unknown): PolicyVersion {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw AppError.badRequest("invalid_candidate", "expected an object with rules");
  const b = input as Record<string, unknown>;
  const rules = parseCandidate(b.rules, core.policyVersions.highestRuleId());
  const note = comment(b.comment);
  if (b.base_version !== undefined && b.base_version !== core.policyVersions.current())
    throw AppError.conflict(
      "version_conflict",
      `the live policy is version ${core.policyVersions.current()}, not ${String(b.base_version)}: rehearse again`,
    );
  return install(core, rules, { actor, kind: "apply", comment: note });
}

export function checkVersion(v: number): number {
  if (!Number.isInteger(v) || v < 1)
    throw AppError.badRequest("invalid_version", "version must be a positive integer");
  return v;
}

export function rollbackPolicy(
  core: Core,
  actor: string,
  version: number,
  note?: unknown,
): PolicyVersion {
  const target = core.policyVersions.get(checkVersion(version));
  return install(core, target.rules, {
    actor,
    kind: "rollback",
    comment: comment(note),
    restoredFrom: target.version,
  });
}
