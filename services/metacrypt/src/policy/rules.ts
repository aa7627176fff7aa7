// Policy rules: who (a user, a system account, a role, or anyone authenticated) may do which
// operations on which mounts, for which names. Lower priority numbers are evaluated first; at
// equal priority deny wins; the first rule that applies decides; nothing applies: deny.

import { z } from "zod";

export const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/),
  priority: z.number().int().min(0).max(1_000_000).default(100),
  effect: z.enum(["allow", "deny"]),
  /** "user:<name>" (human), "system:<name>" (system account), "role:<role>" or "*". */
  subject: z.string().regex(/^((user|system|role):[A-Za-z0-9._@-]+|\*)$/),
  /** A mount name or "*". */
  mount: z.string().min(1).default("*"),
  /** Engine operations ("issue", "sign-csr", ...) or "*". */
  operations: z.array(z.string().min(1)).min(1).default(["*"]),
  /** Name patterns (see names/name-pattern.ts); the rule then applies only to named requests. */
  names: z.array(z.string().min(1)).min(1).optional(),
  description: z.string().max(500).optional(),
});
export type Rule = z.infer<typeof ruleSchema>;

export function orderRules(rules: Rule[]): Rule[] {
  return [...rules].sort(
    (a, b) =>
      a.priority - b.priority ||
      (a.effect === b.effect ? 0 : a.effect === "deny" ? -1 : 1) ||
      a.id.localeCompare(b.id),
  );
}
