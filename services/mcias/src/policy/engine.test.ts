// Table-driven: fixture policies × login contexts → the decision and the full trace (which
// rules were passed over and for which criteria).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Effect,
  evaluate,
  explainMismatch,
  type LoginContext,
  type PolicyRule,
  trace,
} from "./engine.ts";

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

const ctx = (over: Partial<LoginContext> = {}): LoginContext => ({
  roles: ["user"],
  accountType: "human",
  serviceName: "mcq",
  tags: [],
  ...over,
});

const POLICIES: Record<string, PolicyRule[]> = {
  platform: [
    rule(1, 10, "deny", { tags: ["env:prod"], accountTypes: ["human"], roles: ["guest", "user"] }),
    rule(2, 20, "allow", { roles: ["admin"] }),
    rule(3, 30, "allow", { serviceNames: ["mcq", "mcr"], roles: ["user"] }),
    rule(4, 40, "deny", { accountTypes: ["system"], serviceNames: ["mcias"] }),
  ],
  ties: [
    rule(9, 5, "deny", { serviceNames: ["mcq"] }),
    rule(7, 5, "allow", { serviceNames: ["mcq"] }),
  ],
  empty: [],
};

interface Case {
  name: string;
  policy: keyof typeof POLICIES;
  ctx: LoginContext;
  fallback: Effect;
  effect: Effect;
  rule: number | null;
  /** Each passed-over rule: its id and the failed criteria. */
  passed: Array<[number, string[]]>;
}

const CASES: Case[] = [
  {
    name: "allow by role",
    policy: "platform",
    ctx: ctx({ roles: ["admin"], serviceName: "mcns" }),
    fallback: "deny",
    effect: "allow",
    rule: 2,
    passed: [[1, ["roles", "tags"]]],
  },
  {
    name: "deny by tag beats the role allow",
    policy: "platform",
    ctx: ctx({ roles: ["user"], tags: ["env:prod", "team:a"] }),
    fallback: "allow",
    effect: "deny",
    rule: 1,
    passed: [],
  },
  {
    name: "allow by service",
    policy: "platform",
    ctx: ctx(),
    fallback: "deny",
    effect: "allow",
    rule: 3,
    passed: [
      [1, ["tags"]],
      [2, ["roles"]],
    ],
  },
  {
    name: "system account to mcias: explicit deny",
    policy: "platform",
    ctx: ctx({ roles: [], accountType: "system", serviceName: "mcias" }),
    fallback: "allow",
    effect: "deny",
    rule: 4,
    passed: [
      [1, ["roles", "account_types", "tags"]],
      [2, ["roles"]],
      [3, ["roles", "service_names"]],
    ],
  },
  {
    name: "nothing matches: the default",
    policy: "platform",
    ctx: ctx({ roles: ["guest"], serviceName: "metacrypt" }),
    fallback: "deny",
    effect: "deny",
    rule: null,
    passed: [
      [1, ["tags"]],
      [2, ["roles"]],
      [3, ["roles", "service_names"]],
      [4, ["account_types", "service_names"]],
    ],
  },
  {
    name: "same priority: the lower id decides",
    policy: "ties",
    ctx: ctx(),
    fallback: "deny",
    effect: "allow",
    rule: 7,
    passed: [],
  },
  {
    name: "no rules: the default allow",
    policy: "empty",
    ctx: ctx(),
    fallback: "allow",
    effect: "allow",
    rule: null,
    passed: [],
  },
];

for (const c of CASES) {
  test(`trace: ${c.name}`, () => {
    const rules = POLICIES[c.policy]!;
    const t = trace(rules, c.ctx, c.fallback);
    assert.equal(t.effect, c.effect);
    assert.equal(t.ruleId, c.rule);
    // evaluate is the same walk without reasons
    assert.deepEqual(evaluate(rules, c.ctx, c.fallback), { effect: c.effect, ruleId: c.rule });
    const passed = t.steps.filter((s) => s.mismatches.length > 0);
    assert.deepEqual(
      passed.map((s) => [s.rule.id, s.mismatches.map((m) => m.criterion)]),
      c.passed,
    );
    const last = t.steps.at(-1);
    if (c.rule !== null) assert.equal(last?.rule.id, c.rule);
    if (c.rule !== null) assert.deepEqual(last?.mismatches, []);
    else assert.equal(t.steps.length, rules.length);
  });
}

test("mismatch explanations name what was wanted and what the login had", () => {
  const t = trace(POLICIES.platform!, ctx({ roles: ["guest"], serviceName: "metacrypt" }), "deny");
  const text = t.steps.flatMap((s) => s.mismatches.map(explainMismatch));
  assert.ok(text.includes("needs tags [env:prod]; missing [env:prod]"), text.join("\n"));
  assert.ok(text.includes("needs a role in [admin]; the account has [guest]"));
  assert.ok(text.includes("applies to mcq, mcr; the login is for metacrypt"));
  assert.ok(text.includes("needs account type system; the account is human"));
});
