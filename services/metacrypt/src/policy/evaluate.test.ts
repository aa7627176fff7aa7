import assert from "node:assert/strict";
import { test } from "node:test";
import type { Identity } from "@metacircular/mcdsl/identity";
import { decide } from "./evaluate.ts";
import { type Rule, ruleSchema } from "./rules.ts";

const agent: Identity = { username: "mcp-agent", accountType: "system", roles: [] };
const alice: Identity = { username: "alice", accountType: "human", roles: ["ops"] };
const root: Identity = { username: "root", accountType: "human", roles: ["admin"] };
const r = (x: Partial<Rule> & Pick<Rule, "id" | "effect" | "subject">): Rule => ruleSchema.parse(x);

const rules = [
  r({
    id: "agent-svc",
    priority: 10,
    effect: "allow",
    subject: "system:mcp-agent",
    mount: "pki",
    operations: ["issue", "sign-csr"],
    names: ["*.svc.mcp.metacircular.net"],
  }),
  r({
    id: "no-mcias",
    priority: 10,
    effect: "deny",
    subject: "*",
    mount: "pki",
    operations: ["*"],
    names: ["mcias.svc.mcp.metacircular.net"],
  }),
  r({
    id: "ops-read",
    priority: 50,
    effect: "allow",
    subject: "role:ops",
    operations: ["list-certs", "get-cert"],
  }),
  r({
    id: "alice-late",
    priority: 90,
    effect: "allow",
    subject: "user:alice",
    mount: "pki",
    operations: ["*"],
  }),
];
const ask = (identity: Identity, operation: string, names: string[] = [], mount = "pki") =>
  decide(rules, { identity, mount, operation, names });

test("the first applicable rule decides; deny wins at equal priority; default deny; admin bypass", () => {
  assert.deepEqual(
    [
      ask(agent, "issue", ["mcq.svc.mcp.metacircular.net"]).rule,
      ask(agent, "issue", ["mcq.svc.mcp.metacircular.net"]).allowed,
    ],
    ["agent-svc", true],
  );
  assert.equal(ask(agent, "issue", ["mcias.svc.mcp.metacircular.net"]).rule, "no-mcias");
  assert.equal(ask(agent, "issue", ["mcias.svc.mcp.metacircular.net"]).allowed, false);
  const mixed = ask(agent, "issue", [
    "mcq.svc.mcp.metacircular.net",
    "mcias.svc.mcp.metacircular.net",
  ]);
  assert.equal(mixed.rule, "no-mcias", "a deny rule applies when any name is covered");
  // Every name must be covered by an allow rule.
  assert.equal(
    ask(agent, "issue", ["mcq.svc.mcp.metacircular.net", "example.com"]).rule,
    "default_deny",
  );
  assert.equal(ask(agent, "revoke").rule, "default_deny");
  assert.equal(ask(agent, "issue", ["mcq.svc.mcp.metacircular.net"], "other").allowed, false);
  assert.equal(ask(alice, "list-certs").rule, "ops-read");
  assert.equal(ask(alice, "revoke").rule, "alice-late");
  assert.equal(
    ask({ ...alice, accountType: "system" }, "revoke").rule,
    "default_deny",
    "user: means a human",
  );
  assert.deepEqual(ask(root, "anything").rule, "admin_bypass");
});

test("a wildcard name cannot slip past a deny rule for a name it covers", () => {
  // "*.svc.mcp.metacircular.net" is a certificate valid for mcias.svc.mcp.metacircular.net.
  assert.equal(ask(agent, "issue", ["*.svc.mcp.metacircular.net"]).rule, "no-mcias");
  assert.equal(ask(agent, "issue", ["*.svc.mcp.metacircular.net"]).allowed, false);
  // A wildcard elsewhere, a deeper or shallower one, and plain names are decided as before.
  assert.equal(ask(agent, "issue", ["*.mcp.metacircular.net"]).rule, "default_deny");
  assert.equal(ask(agent, "issue", ["*.other.mcp.metacircular.net"]).rule, "default_deny");
  const other = [
    r({
      id: "no-db",
      priority: 1,
      effect: "deny",
      subject: "*",
      operations: ["*"],
      names: ["db.example.com"],
    }),
    r({ id: "any", priority: 5, effect: "allow", subject: "*", operations: ["*"], names: ["*"] }),
  ];
  const on = (names: string[]) =>
    decide(other, { identity: alice, mount: "ssh", operation: "sign", names }).rule;
  assert.equal(on(["*.example.com"]), "no-db");
  assert.equal(on(["*.example.org"]), "any");
  assert.equal(on(["web.example.com"]), "any");
  // OpenSSH host principals are globs: any other glob may cover the denied name.
  assert.equal(on(["d?.example.com"]), "no-db");
  assert.equal(on(["*"]), "no-db");
});
