// Table-driven lint: crafted shadowed, conflicting, dead and unused rules → the findings.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Effect, PolicyRule } from "./engine.ts";
import { type LintFacts, lintRules } from "./lint.ts";

function rule(
  id: number,
  priority: number,
  effect: Effect,
  over: Partial<PolicyRule> = {},
): PolicyRule {
  return {
    id,
    priority,
    effect,
    roles: [],
    accountTypes: [],
    serviceNames: [],
    tags: [],
    description: "",
    ...over,
  };
}

const FACTS: LintFacts = {
  knownServices: new Set(["mcias", "mcq", "mcr"]),
  knownTags: new Set(["env:prod", "team:a"]),
};

interface Case {
  name: string;
  rules: PolicyRule[];
  facts?: Partial<LintFacts>;
  /** [kind, rule, other rule or names] */
  findings: Array<[string, number, number | string[] | null]>;
}

const CASES: Case[] = [
  {
    name: "a clean set has no findings",
    rules: [
      rule(1, 10, "deny", { tags: ["env:prod"], roles: ["guest"] }),
      rule(2, 20, "allow", { roles: ["admin"] }),
      rule(3, 30, "allow", { serviceNames: ["mcq"] }),
    ],
    findings: [],
  },
  {
    name: "a catch-all shadows everything after it",
    rules: [rule(1, 10, "allow"), rule(2, 20, "deny", { roles: ["guest"] })],
    findings: [["shadowed", 2, 1]],
  },
  {
    name: "wider roles and fewer tags shadow",
    rules: [
      rule(1, 10, "deny", { roles: ["guest", "user"], tags: ["env:prod"] }),
      rule(2, 20, "allow", {
        roles: ["user"],
        tags: ["env:prod", "team:a"],
        serviceNames: ["mcq"],
      }),
    ],
    findings: [["shadowed", 2, 1]],
  },
  {
    name: "a rule with no roles is not covered by one that needs a role",
    rules: [
      rule(1, 10, "deny", { roles: ["user"] }),
      rule(2, 20, "allow", { serviceNames: ["mcq"] }),
    ],
    findings: [],
  },
  {
    name: "more tags on the earlier rule do not shadow",
    rules: [
      rule(1, 10, "deny", { tags: ["env:prod", "team:a"] }),
      rule(2, 20, "allow", { tags: ["env:prod"] }),
    ],
    findings: [],
  },
  {
    name: "same priority, opposite effects, overlapping: a conflict",
    rules: [
      rule(1, 10, "allow", { roles: ["user"] }),
      rule(2, 10, "deny", { tags: ["env:prod"], serviceNames: ["mcq"] }),
    ],
    findings: [["conflict", 2, 1]],
  },
  {
    name: "same priority but disjoint services: no conflict",
    rules: [
      rule(1, 10, "allow", { serviceNames: ["mcq"] }),
      rule(2, 10, "deny", { serviceNames: ["mcr"] }),
    ],
    findings: [],
  },
  {
    name: "same priority and effect: no conflict (and no shadow when they differ)",
    rules: [
      rule(1, 10, "allow", { serviceNames: ["mcq"] }),
      rule(2, 10, "allow", { roles: ["admin"] }),
    ],
    findings: [],
  },
  {
    name: "an unknown service kills a rule naming only it; a partly unknown list is a warning",
    rules: [
      rule(1, 10, "allow", { serviceNames: ["mcx"] }),
      rule(2, 20, "allow", { serviceNames: ["mcq", "mcy"] }),
    ],
    findings: [
      ["unknown_service", 1, ["mcx"]],
      ["unknown_service", 2, ["mcy"]],
    ],
  },
  {
    name: "one unknown tag kills a rule",
    rules: [rule(1, 10, "deny", { tags: ["env:prod", "env:prd"] })],
    findings: [["unknown_tag", 1, ["env:prd"]]],
  },
  {
    name: "coverage: a rule that decided nothing in the window",
    rules: [rule(1, 10, "deny", { roles: ["guest"] }), rule(2, 20, "allow", { roles: ["user"] })],
    facts: { matched: new Set([2]) },
    findings: [["unused", 1, null]],
  },
];

for (const c of CASES) {
  test(`lint: ${c.name}`, () => {
    const got = lintRules(c.rules, { ...FACTS, ...c.facts }).map((f) => [
      f.kind,
      f.ruleId,
      f.otherRuleId ?? f.names ?? null,
    ]);
    assert.deepEqual(got, c.findings);
  });
}

test("lint severities: dead rules are errors, a partial unknown list a warning, unused info", () => {
  const f = lintRules(
    [
      rule(1, 10, "allow", { serviceNames: ["mcx"] }),
      rule(2, 20, "allow", { serviceNames: ["mcq", "mcy"] }),
    ],
    { ...FACTS, matched: new Set([2]) },
  );
  assert.deepEqual(
    f.map((x) => [x.kind, x.severity]),
    [
      ["unknown_service", "error"],
      ["unknown_service", "warning"],
      ["unused", "info"],
    ],
  );
});
