// A candidate rule set: what an administrator proposes for a dry run, lint or apply. It is the
// stored rule shape (snake_case, as REST answers carry it) with an optional id per rule: a rule
// that keeps its id stays the same rule (its audit history and coverage carry over), a rule
// without one is new and gets an id no earlier version used.
import { AppError } from "@metacircular/mcdsl/errors";
import { z } from "zod";
import type { PolicyRule } from "./engine.ts";
import { ruleInputSchema } from "./policy.ts";

const candidateRule = ruleInputSchema.extend({ id: z.number().int().min(1).optional() });
export const candidateSchema = z.array(candidateRule).max(1000);

export type CandidateRule = z.input<typeof candidateRule>;

/** The platform's snake_case JSON shape of a rule (REST answers, audit details, versions). */
export function ruleRecord(r: PolicyRule) {
  return {
    id: r.id,
    priority: r.priority,
    effect: r.effect,
    roles: r.roles,
    account_types: r.accountTypes,
    service_names: r.serviceNames,
    tags: r.tags,
    description: r.description,
  };
}
export type RuleRecord = ReturnType<typeof ruleRecord>;

export function ruleFromRecord(r: RuleRecord): PolicyRule {
  return {
    id: r.id,
    priority: r.priority,
    effect: r.effect,
    roles: r.roles,
    accountTypes: r.account_types,
    serviceNames: r.service_names,
    tags: r.tags,
    description: r.description,
  };
}

/**
 * Validates a candidate rule set (400 invalid_candidate with the failing path) and gives every
 * rule an id: its own, or the next one above `highestId` (the highest id any version used).
 */
export function parseCandidate(input: unknown, highestId: number): PolicyRule[] {
  const r = candidateSchema.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw AppError.badRequest("invalid_candidate", `rules.${i.path.join(".")}: ${i.message}`);
  }
  const seen = new Set<number>();
  let next = Math.max(highestId, ...r.data.map((x) => x.id ?? 0)) + 1;
  return r.data.map((x) => {
    const id = x.id ?? next++;
    if (seen.has(id)) throw AppError.badRequest("invalid_candidate", `rule id ${id} appears twice`);
    seen.add(id);
    return ruleFromRecord({ ...x, id } as RuleRecord);
  });
}
