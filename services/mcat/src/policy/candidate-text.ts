// The candidate editor's text: a JSON array of rules (the shape MCIAS's GET /v1/policies
// answers, ids optional) or an object with a `rules` array. Bad JSON is a 400 with the parser's
// message; the rules themselves are validated by MCIAS.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Rule } from "./types.ts";

export function parseCandidateText(text: string): unknown[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw AppError.badRequest("invalid_json", `the candidate is not JSON: ${(e as Error).message}`);
  }
  const rules = Array.isArray(v) ? v : (v as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules))
    throw AppError.badRequest("invalid_candidate", "expected a JSON array of rules");
  return rules;
}

/** The rules as editor text: one rule per block, ids kept so edited rules stay the same rule. */
export function candidateText(rules: readonly Rule[]): string {
  return JSON.stringify(rules, null, 2);
}
