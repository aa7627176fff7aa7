import assert from "node:assert/strict";
import { test } from "node:test";
import { decide, globToRegExp, type Rule, sortRules } from "./rules.ts";

const alice = { username: "alice", accountType: "human" as const, roles: ["user"] };
const bot = { username: "alice", accountType: "system" as const, roles: [] };
const root = { username: "root", accountType: "human" as const, roles: ["admin"] };

test("globs: * stays within a component, ** crosses them, the rest is literal", () => {
  assert.ok(globToRegExp("team/*").test("team/app"));
  assert.ok(!globToRegExp("team/*").test("team/a/b"));
  assert.ok(globToRegExp("team/**").test("team/a/b"));
  assert.ok(!globToRegExp("a.b").test("axb"));
});

test("first matching rule in priority order decides; default deny; admins bypass", () => {
  const rules: Rule[] = sortRules([
    {
      id: 1,
      priority: 20,
      repository: "**",
      subject: { kind: "any" },
      actions: ["pull"],
      effect: "allow",
    },
    {
      id: 2,
      priority: 10,
      repository: "secret/*",
      subject: { kind: "user", name: "alice" },
      actions: ["pull"],
      effect: "deny",
    },
    {
      id: 3,
      priority: 10,
      repository: "team/*",
      subject: { kind: "role", name: "user" },
      actions: ["push"],
      effect: "allow",
    },
  ]);
  assert.deepEqual(decide(rules, alice, "secret/x", "pull"), { allowed: false, by: 2 });
  assert.deepEqual(decide(rules, bot, "secret/x", "pull"), { allowed: true, by: 1 });
  assert.deepEqual(decide(rules, alice, "team/x", "push"), { allowed: true, by: 3 });
  assert.deepEqual(decide(rules, bot, "team/x", "push"), { allowed: false, by: "default" });
  assert.deepEqual(decide(rules, alice, "team/x", "delete"), { allowed: false, by: "default" });
  assert.deepEqual(decide(rules, root, "secret/x", "delete"), { allowed: true, by: "admin" });
});
