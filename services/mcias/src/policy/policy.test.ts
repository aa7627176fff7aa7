import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError } from "@metacircular/mcdsl/errors";
import { openDb } from "../db/open.ts";
import { evaluate, PolicyStore } from "./policy.ts";

const ctx = (over: Partial<Parameters<typeof evaluate>[1]> = {}) => ({
  roles: ["user" as const],
  accountType: "human" as const,
  serviceName: "mcns",
  tags: ["env:prod"],
  ...over,
});

test("first match by priority wins, default applies otherwise", () => {
  const store = new PolicyStore(openDb(":memory:"));
  const denyGuests = store.create({ priority: 10, effect: "deny", roles: ["guest"] });
  const allowMcns = store.create({ priority: 20, effect: "allow", service_names: ["mcns"] });
  const denyProd = store.create({
    priority: 5,
    effect: "deny",
    tags: ["env:prod"],
    account_types: ["system"],
  });
  const rules = store.list();
  assert.deepEqual(
    rules.map((r) => r.id),
    [denyProd.id, denyGuests.id, allowMcns.id],
  );
  assert.deepEqual(evaluate(rules, ctx(), "deny"), { effect: "allow", ruleId: allowMcns.id });
  assert.deepEqual(evaluate(rules, ctx({ roles: ["guest"] }), "deny"), {
    effect: "deny",
    ruleId: denyGuests.id,
  });
  assert.deepEqual(evaluate(rules, ctx({ accountType: "system", roles: [] }), "allow"), {
    effect: "deny",
    ruleId: denyProd.id,
  });
  assert.deepEqual(evaluate(rules, ctx({ serviceName: "mcr" }), "deny"), {
    effect: "deny",
    ruleId: null,
  });
  assert.deepEqual(evaluate(rules, ctx({ serviceName: "mcr" }), "allow"), {
    effect: "allow",
    ruleId: null,
  });
});

test("tags must all be present; update and delete work; bad input is a 400", () => {
  const store = new PolicyStore(openDb(":memory:"));
  const r = store.create({ priority: 1, effect: "allow", tags: ["a", "b"] });
  assert.equal(evaluate(store.list(), ctx({ tags: ["a"] }), "deny").ruleId, null);
  assert.equal(evaluate(store.list(), ctx({ tags: ["b", "a"] }), "deny").ruleId, r.id);
  store.update(r.id, { priority: 1, effect: "deny", tags: [] });
  assert.equal(store.get(r.id).effect, "deny");
  store.delete(r.id);
  assert.equal(store.list().length, 0);
  assert.throws(
    () => store.create({ priority: 1, effect: "maybe" }),
    (e: unknown) => e instanceof AppError && e.code === "invalid_rule",
  );
  assert.throws(
    () => store.create({ priority: 1, effect: "allow", roles: ["root"] }),
    (e: unknown) => e instanceof AppError && e.status === 400,
  );
});
