// Rehearsing a policy change (admin): a dry run replays recorded logins against a candidate
// rule set, lint checks a rule set (live or candidate) for shadowed, conflicting, dead and
// unused rules. Neither changes anything; both read the audit log's recorded login contexts.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Core } from "../app.ts";
import { parseCandidate } from "./candidate.ts";
import type { PolicyRule } from "./engine.ts";
import { type LintFinding, lintRules } from "./lint.ts";
import { MAX_REPLAY, matchedRuleIds, recordedLogins } from "./recorded-logins.ts";
import { type ReplayResult, replay } from "./replay.ts";

export const COVERAGE_DAYS = 30;
const DEFAULT_REPLAY = 1000;

export interface DryRunResult extends ReplayResult {
  skipped: number;
  /** The live version the candidate was compared against. */
  version: number;
}

function body(input: unknown): Record<string, unknown> {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw AppError.badRequest("invalid_candidate", "expected an object with rules");
  return input as Record<string, unknown>;
}

function replayLimit(v: unknown): number {
  if (v === undefined) return DEFAULT_REPLAY;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > MAX_REPLAY)
    throw AppError.badRequest("invalid_limit", `limit must be an integer from 1 to ${MAX_REPLAY}`);
  return v;
}

/** Body: { rules: [...candidate], limit?: 1..10000 (default 1000) }. */
export function dryRun(core: Core, input: unknown): DryRunResult {
  const b = body(input);
  const candidate = parseCandidate(b.rules, core.policyVersions.highestRuleId());
  const { logins, skipped } = recordedLogins(core, replayLimit(b.limit));
  return {
    ...replay(logins, candidate, core.cfg.policy.default),
    skipped,
    version: core.policyVersions.current(),
  };
}

export interface LintResult {
  findings: LintFinding[];
  /** The live version linted, or null for a candidate. */
  version: number | null;
  rules: PolicyRule[];
}

/** Services and tags seen in the newest recorded logins, plus the configured lists and MCIAS. */
function knownNames(core: Core) {
  const services = new Set<string>(["mcias", ...core.cfg.policy.known_services]);
  const tags = new Set<string>(core.cfg.policy.known_tags);
  for (const l of recordedLogins(core, MAX_REPLAY).logins) {
    services.add(l.ctx.serviceName);
    for (const t of l.ctx.tags) tags.add(t);
  }
  return { services, tags };
}

/** Lints the live rules, or `candidate` (a rules array) when given. */
export function lintPolicy(core: Core, candidate?: unknown): LintResult {
  const rules =
    candidate === undefined
      ? core.policy.list()
      : parseCandidate(candidate, core.policyVersions.highestRuleId());
  const known = knownNames(core);
  const findings = lintRules(rules, {
    knownServices: known.services,
    knownTags: known.tags,
    matched: matchedRuleIds(core, core.now() - COVERAGE_DAYS * 86_400_000),
    windowDays: COVERAGE_DAYS,
  });
  return {
    findings,
    version: candidate === undefined ? core.policyVersions.current() : null,
    rules,
  };
}
