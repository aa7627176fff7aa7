// The policy tools over a real (in-memory) MCIAS core: a recorded audit log + a candidate → the
// expected dry-run diff; apply, versions and rollback; a trace touches no login state.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { AppError } from "@metacircular/mcdsl/errors";
import { createAccount } from "../accounts/admin.ts";
import { createCore } from "../app.ts";
import { decideLoginPolicy, passwordLogin } from "../auth/login.ts";
import { configSchema } from "../config.ts";
import { openDb } from "../db/open.ts";
import { createRule, deleteRule } from "./admin.ts";
import { dryRun, lintPolicy } from "./rehearsal.ts";
import { traceLogin } from "./trace-login.ts";
import { applyPolicy, rollbackPolicy } from "./versioning.ts";

const cfg = configSchema.parse({
  server: { listen_addr: "127.0.0.1:0" },
  database: { path: ":memory:" },
  argon2: { memory_kib: 1024, time_cost: 1 },
  policy: { default: "deny" },
});
const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;

const cores: ReturnType<typeof createCore>[] = [];
after(() => Promise.all(cores.map((c) => c.hasher.close())));

async function fixture() {
  const core = createCore(cfg, openDb(":memory:"));
  cores.push(core);
  const admin = await createAccount(core, "t", {
    username: "chief",
    type: "human",
    roles: ["admin"],
  });
  const alice = await createAccount(core, "t", {
    username: "alice",
    type: "human",
    roles: ["user"],
    password: "alice-password-1",
  });
  const bot = await createAccount(core, "t", { username: "bot", type: "system", roles: [] });
  createRule(core, "root", { priority: 10, effect: "allow", roles: ["admin"] });
  createRule(core, "root", {
    priority: 20,
    effect: "allow",
    roles: ["user"],
    service_names: ["mcq"],
  });
  createRule(core, "root", { priority: 30, effect: "allow", account_types: ["system"] });
  return { core, admin, alice, bot };
}

test("dry run: recorded logins + a candidate → exactly the allow↔deny flips", async () => {
  const { core, admin, alice, bot } = await fixture();
  // The recorded log: five logins as login would record them.
  decideLoginPolicy(core, alice, { serviceName: "mcq", tags: [] }, "10.0.0.1"); // allow (2)
  decideLoginPolicy(core, alice, { serviceName: "mcq", tags: ["env:prod"] }, "10.0.0.1"); // allow (2)
  decideLoginPolicy(core, alice, { serviceName: "mcr", tags: [] }, "10.0.0.1"); // deny (default)
  decideLoginPolicy(core, bot, { serviceName: "mcq", tags: ["env:prod"] }, "10.0.0.2"); // allow (3)
  decideLoginPolicy(core, admin, { serviceName: "mcq", tags: ["env:prod"] }, "10.0.0.3"); // allow (1)
  const live = core.policy.list().map((r) => ({
    id: r.id,
    priority: r.priority,
    effect: r.effect,
    roles: r.roles,
    account_types: r.accountTypes,
    service_names: r.serviceNames,
    tags: r.tags,
  }));
  // Candidate: deny humans on env:prod before anything else; let users into mcr too.
  const candidate = [
    { priority: 5, effect: "deny", account_types: ["human"], roles: ["user"], tags: ["env:prod"] },
    ...live.map((r) => (r.id === 2 ? { ...r, service_names: ["mcq", "mcr"] } : r)),
  ];
  const r = dryRun(core, { rules: candidate, limit: 100 });
  assert.equal(r.replayed, 5);
  assert.equal(r.skipped, 0);
  const flips = r.changes.map((c) => [
    c.login.username,
    c.login.ctx.serviceName,
    c.login.decision.effect,
    c.after.effect,
    c.after.ruleId,
  ]);
  const newId = Math.max(...live.map((x) => x.id)) + 1;
  assert.deepEqual(flips, [
    ["alice", "mcr", "deny", "allow", 2],
    ["alice", "mcq", "allow", "deny", newId],
  ]);
  assert.equal(r.ruleChanges, 0);
  // limit counts the newest logins only
  assert.equal(dryRun(core, { rules: candidate, limit: 2 }).changes.length, 0);
  assert.throws(() => dryRun(core, { rules: candidate, limit: 0 }), code("invalid_limit"));
  assert.throws(() => dryRun(core, { rules: [{ priority: 1 }] }), code("invalid_candidate"));
  assert.throws(
    () =>
      dryRun(core, {
        rules: [
          { id: 4, priority: 1, effect: "deny" },
          { id: 4, priority: 2, effect: "deny" },
        ],
      }),
    code("invalid_candidate"),
  );
});

test("apply, versions and rollback: every state numbered, any earlier one restorable", async () => {
  const { core } = await fixture();
  // The migration's version 1 (empty) and one version per CRUD edit.
  assert.equal(core.policyVersions.current(), 4);
  assert.deepEqual(
    core.policyVersions.list().map((v) => [v.version, v.kind, v.rules.length]),
    [
      [4, "edit", 3],
      [3, "edit", 2],
      [2, "edit", 1],
      [1, "initial", 0],
    ],
  );
  const before = core.policy.list();
  const v = applyPolicy(core, "root", {
    rules: [
      { id: before[0]!.id, priority: 1, effect: "allow", roles: ["admin"] },
      { priority: 2, effect: "deny" },
    ],
    comment: "lock down",
    base_version: 4,
  });
  assert.equal(v.version, 5);
  assert.equal(v.kind, "apply");
  assert.deepEqual(
    core.policy.list().map((r) => [r.id, r.effect]),
    [
      [before[0]!.id, "allow"],
      [before[2]!.id + 1, "deny"],
    ],
  );
  assert.throws(
    () => applyPolicy(core, "root", { rules: [], base_version: 4 }),
    code("version_conflict"),
  );
  const back = rollbackPolicy(core, "root", 4, "undo");
  assert.equal(back.version, 6);
  assert.equal(back.restoredFrom, 4);
  assert.deepEqual(
    core.policy.list(),
    before.map((r) => ({ ...r })),
  );
  // A rule deleted by CRUD can come back with a rollback too.
  deleteRule(core, "root", before[1]!.id);
  rollbackPolicy(core, "root", 6);
  assert.equal(core.policy.list().length, 3);
  assert.throws(() => rollbackPolicy(core, "root", 99), code("version_not_found"));
  assert.throws(() => rollbackPolicy(core, "root", 0), code("invalid_version"));
  const events = core.audit.query({ actor: "root" }).map((e) => e.event);
  assert.ok(events.includes("policy_applied") && events.includes("policy_rolled_back"));
  assert.equal(core.audit.verify().ok, true);
});

test("trace: decision, reasons, no session, no policy_decision, no lockout from a wrong password", async () => {
  const { core } = await fixture();
  const t = await traceLogin(core, "root", { username: "alice", service_name: "mcr", tags: ["x"] });
  assert.equal(t.trace.effect, "deny");
  assert.equal(t.trace.ruleId, null);
  assert.equal(t.credentials, "not_checked");
  assert.equal(t.wouldLogIn, false);
  assert.deepEqual(
    t.trace.steps.map((s) => s.mismatches.map((m) => m.criterion)),
    [["roles"], ["service_names"], ["account_types"]],
  );
  for (let i = 0; i < 12; i++) {
    const bad = await traceLogin(core, "root", {
      username: "alice",
      password: "wrong",
      service_name: "mcq",
    });
    assert.equal(bad.credentials, "invalid");
  }
  const ok = await traceLogin(core, "root", {
    username: "alice",
    password: "alice-password-1",
    service_name: "mcq",
  });
  assert.equal(ok.credentials, "valid");
  assert.equal(ok.wouldLogIn, true);
  const events = core.audit.query({ limit: 1000 }).map((e) => e.event);
  assert.equal(events.filter((e) => e === "policy_traced").length, 14);
  assert.equal(events.includes("policy_decision"), false);
  assert.equal(events.includes("login_failure"), false);
  assert.equal((core.db.prepare("SELECT COUNT(*) AS n FROM tokens").get() as { n: number }).n, 0);
  // Twelve wrong passwords through trace lock nothing: the real login still works.
  const res = await passwordLogin(core, {
    username: "alice",
    password: "alice-password-1",
    serviceName: "mcq",
    tags: [],
    ip: "10.0.0.1",
  });
  assert.ok(res.token);
  // A candidate is traced instead of the live rules.
  const cand = await traceLogin(core, "root", {
    username: "alice",
    service_name: "mcq",
    rules: [{ priority: 1, effect: "deny", roles: ["user"] }],
  });
  assert.equal(cand.trace.effect, "deny");
  assert.equal(cand.version, null);
  await assert.rejects(
    traceLogin(core, "root", { username: "nobody", service_name: "mcq" }),
    code("account_not_found"),
  );
  await assert.rejects(traceLogin(core, "root", { username: "alice" }), code("invalid_trace"));
});

test("lint of the live rules uses recorded services and tags; coverage from recorded decisions", async () => {
  const { core, alice } = await fixture();
  decideLoginPolicy(core, alice, { serviceName: "mcq", tags: ["env:prod"] }, "10.0.0.1");
  createRule(core, "root", { priority: 40, effect: "deny", service_names: ["nowhere"] });
  createRule(core, "root", { priority: 50, effect: "deny", tags: ["env:prod"] });
  const kinds = lintPolicy(core).findings.map((f) => [f.kind, f.ruleId]);
  const ids = core.policy.list().map((r) => r.id);
  assert.deepEqual(kinds, [
    ["unknown_service", ids[3]],
    ["unused", ids[0]],
    ["unused", ids[2]],
    ["unused", ids[3]],
    ["unused", ids[4]],
  ]);
});
