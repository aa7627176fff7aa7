// Login policy against the real process: allow/deny by role, account type, service and tag,
// priority order, the default, and audit of each decision with its deciding rule.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { json, type MciasInstance, startMcias } from "./helpers.ts";

let m: MciasInstance;
before(async () => {
  m = await startMcias();
  await m.createAccount("uma", { roles: ["user"], password: "uma-password-12" });
  await m.createAccount("gus", { roles: ["guest"], password: "gus-password-12" });
  await m.createAccount("svc-ci", { type: "system" });
  await m.api("PUT", "/v1/accounts/svc-ci/password", { password: "svc-ci-password-1" });
});
after(async () => {
  await m?.stop();
});

async function tryLogin(username: string, password: string, service: string, tags: string[] = []) {
  const r = await m.api(
    "POST",
    "/v1/auth/login",
    { username, password, service_name: service, tags },
    "",
  );
  return r.status;
}

async function rule(body: Record<string, unknown>): Promise<number> {
  const r = await m.api("POST", "/v1/policies", body);
  assert.equal(r.status, 201);
  return (await json<{ id: number }>(r)).id;
}

test("default deny: nothing but the bootstrap admin rule", async () => {
  const p = await json<{ default: string; rules: unknown[] }>(await m.api("GET", "/v1/policies"));
  assert.equal(p.default, "deny");
  assert.equal(p.rules.length, 1);
  assert.equal(await tryLogin("uma", "uma-password-12", "mcns"), 403);
});

test("allow by role and service, deny by tag at higher priority, account types, guests", async () => {
  const allowUsersMcns = await rule({
    priority: 100,
    effect: "allow",
    roles: ["user"],
    service_names: ["mcns"],
  });
  assert.equal(await tryLogin("uma", "uma-password-12", "mcns"), 200);
  assert.equal(await tryLogin("uma", "uma-password-12", "mcr"), 403);
  assert.equal(await tryLogin("gus", "gus-password-12", "mcns"), 403);

  const denyProd = await rule({ priority: 50, effect: "deny", tags: ["env:prod"] });
  assert.equal(await tryLogin("uma", "uma-password-12", "mcns", ["env:prod"]), 403);
  assert.equal(await tryLogin("uma", "uma-password-12", "mcns", ["env:dev"]), 200);

  // raising the allow rule above the deny rule flips the outcome
  const upd = await m.api("PUT", `/v1/policies/${allowUsersMcns}`, {
    priority: 10,
    effect: "allow",
    roles: ["user"],
    service_names: ["mcns"],
  });
  assert.equal(upd.status, 200);
  assert.equal(await tryLogin("uma", "uma-password-12", "mcns", ["env:prod"]), 200);

  assert.equal(await tryLogin("svc-ci", "svc-ci-password-1", "mcns"), 403);
  await rule({ priority: 20, effect: "allow", account_types: ["system"], service_names: ["mcns"] });
  assert.equal(await tryLogin("svc-ci", "svc-ci-password-1", "mcns"), 200);

  const audit = await json<{
    events: {
      event: string;
      subject: string;
      detail: { rule: number | null; effect: string; tags: string[] };
    }[];
  }>(await m.api("GET", "/v1/audit?event=policy_decision&subject=uma&limit=20"));
  const prodDeny = audit.events.find(
    (e) => e.detail.effect === "deny" && e.detail.tags.includes("env:prod"),
  );
  assert.equal(prodDeny?.detail.rule, denyProd);
  const defaulted = audit.events.find((e) => e.detail.effect === "deny" && e.detail.rule === null);
  assert.ok(defaulted, "a default decision is audited with rule null");

  assert.equal((await m.api("DELETE", `/v1/policies/${denyProd}`)).status, 200);
  assert.equal((await m.api("GET", `/v1/policies/${denyProd}`)).status, 404);
  const bad = await m.api("POST", "/v1/policies", {
    priority: 1,
    effect: "allow",
    roles: ["root"],
  });
  assert.equal(bad.status, 400);
  assert.equal((await json<{ error: { code: string } }>(bad)).error.code, "invalid_rule");
});
