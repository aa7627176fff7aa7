// Account, policy and token administration over REST and gRPC against the real process: each
// scenario runs once per transport (bothTransports) and the two runs must give the same
// outcomes — values, refusals with their stable codes, and the audit rows the domain wrote.
// Both faces call the same domain functions (src/accounts/admin.ts, src/policy/admin.ts,
// src/tokens/admin.ts), so a difference here means a transport grew logic of its own.
import assert from "node:assert/strict";
import { after, before } from "node:test";
import { createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AccountService } from "@metacircular/proto/mcias/v1/account_pb";
import { PolicyService } from "@metacircular/proto/mcias/v1/policy_pb";
import { TokenService } from "@metacircular/proto/mcias/v1/token_pb";
import {
  bothTransports,
  grpcOutcome,
  type MciasInstance,
  type Outcome,
  restOutcome,
  startMcias,
  type Transport,
} from "@metacircular/testkit";

let m: MciasInstance;
before(async () => {
  m = await startMcias({ grpc: true });
});
after(() => m?.stop());

const PASSWORD = "admin-transport-password-1";

function grpcClients() {
  const auth: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${m.adminToken}`);
    return next(req);
  };
  const transport = createGrpcTransport({ baseUrl: m.grpcUrl!, interceptors: [auth] });
  return {
    accounts: createClient(AccountService, transport),
    policies: createClient(PolicyService, transport),
    tokens: createClient(TokenService, transport),
  };
}

interface AccountView {
  type: string;
  roles: string[];
  status: string;
}

/** One account admin action per method, over the transport chosen. */
interface AccountAdmin {
  create(username: string, type?: string, roles?: string[]): Promise<Outcome<AccountView>>;
  setRoles(username: string, roles: string[]): Promise<Outcome<AccountView>>;
  setEnabled(username: string, enabled: boolean): Promise<Outcome<AccountView>>;
  resetPassword(username: string, password: string): Promise<Outcome>;
  unlock(username: string): Promise<Outcome>;
  remove(username: string): Promise<Outcome>;
}

const view = (a: { type?: string; roles?: string[]; status?: string } | undefined) => ({
  type: a?.type ?? "",
  roles: [...(a?.roles ?? [])],
  status: a?.status ?? "",
});

function restAccounts(): AccountAdmin {
  const at = (u: string) => `/v1/accounts/${encodeURIComponent(u)}`;
  const pickAccount = (b: unknown) => view(b as AccountView);
  return {
    create: async (username, type, roles) =>
      restOutcome(
        await m.api("POST", "/v1/accounts", {
          username,
          ...(type ? { type } : {}),
          ...(roles ? { roles } : {}),
        }),
        pickAccount,
      ),
    setRoles: async (u, roles) =>
      restOutcome(await m.api("PUT", `${at(u)}/roles`, { roles }), pickAccount),
    setEnabled: async (u, enabled) =>
      restOutcome(await m.api("POST", `${at(u)}/${enabled ? "enable" : "disable"}`), pickAccount),
    resetPassword: async (u, password) =>
      restOutcome(await m.api("PUT", `${at(u)}/password`, { password })),
    unlock: async (u) => restOutcome(await m.api("POST", `${at(u)}/unlock`)),
    remove: async (u) => restOutcome(await m.api("DELETE", at(u))),
  };
}

function grpcAccounts(): AccountAdmin {
  const { accounts } = grpcClients();
  const pick = (r: { account?: AccountView }) => view(r.account);
  return {
    create: (username, type, roles) =>
      grpcOutcome(accounts.createAccount({ username, type: type ?? "", roles: roles ?? [] }), pick),
    setRoles: (username, roles) => grpcOutcome(accounts.setRoles({ username, roles }), pick),
    setEnabled: (username, enabled) =>
      grpcOutcome(accounts.setAccountEnabled({ username, enabled }), pick),
    resetPassword: (username, password) =>
      grpcOutcome(accounts.resetPassword({ username, password })),
    unlock: (username) => grpcOutcome(accounts.unlockAccount({ username })),
    remove: (username) => grpcOutcome(accounts.deleteAccount({ username })),
  };
}

/** The audit trail of one subject, oldest first, without times, hashes or the transport's name. */
async function auditOf(subject: string, via: Transport) {
  const res = await m.api("GET", `/v1/audit?subject=${encodeURIComponent(subject)}&limit=100`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as {
    events: { event: string; outcome: string; actor: string; detail: unknown }[];
  };
  const neutral = (x: unknown) => JSON.parse(JSON.stringify(x).replaceAll(`-${via}`, "-X"));
  return body.events.reverse().map((e) => ({
    event: e.event,
    outcome: e.outcome,
    actor: e.actor,
    detail: neutral(e.detail),
  }));
}

bothTransports(
  "account admin: create, roles, disable, enable, reset, unlock, delete",
  async (via) => {
    const a = via === "rest" ? restAccounts() : grpcAccounts();
    const name = `ada-${via}`;
    const steps = {
      created: await a.create(name),
      duplicate: await a.create(name),
      reserved: await a.create("root"),
      badType: await a.create(`bob-${via}`, "robot"),
      system: await a.create(`svc-${via}`, "system"),
      roles: await a.setRoles(name, ["admin", "user"]),
      badRole: await a.setRoles(name, ["wizard"]),
      disabled: await a.setEnabled(name, false),
      enabled: await a.setEnabled(name, true),
      selfDisable: await a.setEnabled(m.adminUsername, false),
      weakReset: await a.resetPassword(name, "short"),
      reset: await a.resetPassword(name, PASSWORD),
      unlocked: await a.unlock(name),
      deleted: await a.remove(name),
      deletedAgain: await a.remove(name),
      unknown: await a.setEnabled(`nobody-${via}`, false),
    };
    assert.deepEqual(steps.created, {
      ok: true,
      value: { type: "human", roles: ["user"], status: "active" },
    });
    assert.deepEqual(steps.system, {
      ok: true,
      value: { type: "system", roles: [], status: "active" },
    });
    assert.equal(steps.duplicate.ok, false);
    assert.equal(steps.deleted.ok, true);
    return { steps, audit: await auditOf(name, via) };
  },
);

/** One policy admin action per method, over the transport chosen; rules without their id. */
interface PolicyAdmin {
  create(rule: RuleIn): Promise<Outcome<RuleView>>;
  update(id: number, rule: RuleIn): Promise<Outcome<RuleView>>;
  remove(id: number): Promise<Outcome>;
  list(): Promise<Outcome<{ default: string; rules: RuleView[] }>>;
}

interface RuleIn {
  priority: number;
  effect: string;
  roles?: string[];
  service_names?: string[];
  description?: string;
}

interface RuleView {
  id: number;
  priority: number;
  effect: string;
  roles: string[];
  serviceNames: string[];
  description: string;
}

function restPolicies(): PolicyAdmin {
  const pick = (b: unknown): RuleView => {
    const r = b as RuleView & { service_names: string[] };
    return {
      id: r.id,
      priority: r.priority,
      effect: r.effect,
      roles: r.roles,
      serviceNames: r.service_names,
      description: r.description,
    };
  };
  return {
    create: async (rule) => restOutcome(await m.api("POST", "/v1/policies", rule), pick),
    update: async (id, rule) => restOutcome(await m.api("PUT", `/v1/policies/${id}`, rule), pick),
    remove: async (id) => restOutcome(await m.api("DELETE", `/v1/policies/${id}`)),
    list: async () =>
      restOutcome(await m.api("GET", "/v1/policies"), (b) => {
        const l = b as { default: string; rules: unknown[] };
        return { default: l.default, rules: l.rules.map(pick) };
      }),
  };
}

function grpcPolicies(): PolicyAdmin {
  const { policies } = grpcClients();
  type Msg = {
    id: bigint;
    priority: number;
    effect: string;
    roles: string[];
    serviceNames: string[];
    description: string;
  };
  const pick = (r: Msg | undefined): RuleView => ({
    id: Number(r?.id ?? 0),
    priority: r?.priority ?? -1,
    effect: r?.effect ?? "",
    roles: [...(r?.roles ?? [])],
    serviceNames: [...(r?.serviceNames ?? [])],
    description: r?.description ?? "",
  });
  const msg = (rule: RuleIn, id = 0) => ({
    id: BigInt(id),
    priority: rule.priority,
    effect: rule.effect,
    roles: rule.roles ?? [],
    serviceNames: rule.service_names ?? [],
    description: rule.description ?? "",
  });
  return {
    create: (rule) => grpcOutcome(policies.createRule({ rule: msg(rule) }), (r) => pick(r.rule)),
    update: (id, rule) =>
      grpcOutcome(policies.updateRule({ rule: msg(rule, id) }), (r) => pick(r.rule)),
    remove: (id) => grpcOutcome(policies.deleteRule({ id: BigInt(id) })),
    list: () =>
      grpcOutcome(policies.listRules({}), (r) => ({
        default: r.defaultEffect,
        rules: r.rules.map(pick),
      })),
  };
}

/** Rule ids differ between the runs; compare everything else. */
const withoutId = <T>(o: Outcome<T>) =>
  o.ok
    ? { ok: true, value: JSON.parse(JSON.stringify(o.value, (k, v) => (k === "id" ? 0 : v))) }
    : o;

/** The newest audit sequence number: later rows are the scenario's own. */
async function auditHead(): Promise<number> {
  const res = await m.api("GET", "/v1/audit?limit=1");
  return ((await res.json()) as { events: { seq: number }[] }).events[0]?.seq ?? 0;
}

/** Policy audit rows after `since`, oldest first, rule ids replaced (they differ per run). */
async function policyAudit(since: number) {
  const res = await m.api("GET", `/v1/audit?since_seq=${since}&limit=200`);
  const body = (await res.json()) as { events: { event: string; detail: { rule?: unknown } }[] };
  const neutral = (rule: unknown) =>
    typeof rule === "number" ? "ID" : { ...(rule as object), id: 0 };
  return body.events
    .filter((e) => e.event.startsWith("policy_"))
    .reverse()
    .map((e) => ({ event: e.event, rule: neutral(e.detail.rule) }));
}

/** Names carry the transport ("svc-rest", "for grpc"); compare them without it. */
const neutralNames = (x: unknown) =>
  JSON.parse(JSON.stringify(x).replace(/(svc-|for )(rest|grpc)/g, "$1X"));

bothTransports("policy admin: create, update, list, delete and the refusals", async (via) => {
  const p = via === "rest" ? restPolicies() : grpcPolicies();
  const since = await auditHead();
  const rule = { priority: 40, effect: "allow", roles: ["user"], service_names: [`svc-${via}`] };
  const created = await p.create({ ...rule, description: `for ${via}` });
  assert.ok(created.ok, JSON.stringify(created));
  const id = created.value.id;
  const updated = await p.update(id, { ...rule, effect: "deny", description: `for ${via}` });
  const listed = await p.list();
  assert.ok(listed.ok);
  const seen = listed.value.rules.filter((r) => r.id === id);
  const steps = {
    created: withoutId(created),
    invalid: await p.create({ priority: -1, effect: "maybe" }),
    updated: withoutId(updated),
    badId: await p.update(0, rule),
    listed: {
      default: listed.value.default,
      seen: seen.map((r) => withoutId({ ok: true, value: r })),
    },
    deleted: await p.remove(id),
    deletedAgain: await p.remove(id),
    zero: await p.remove(0),
  };
  return neutralNames({ steps, audit: await policyAudit(since) });
});

bothTransports("token admin: issue, list, revoke and the refusals", async (via) => {
  const svc = `tok-${via}`;
  await m.createAccount(svc, { type: "system" });
  const human = `hum-${via}`;
  await m.createAccount(human);
  const c = grpcClients();
  const issue = async (username: string, audience: string) =>
    via === "rest"
      ? restOutcome(await m.api("POST", "/v1/token/issue", { username, audience }), (b) =>
          String((b as { token_id: string }).token_id),
        )
      : grpcOutcome(c.tokens.issueSystemToken({ username, audience }), (r) => r.tokenId);
  const revoke = async (tokenId: string) =>
    via === "rest"
      ? restOutcome(await m.api("POST", "/v1/token/revoke", { token_id: tokenId }))
      : grpcOutcome(c.tokens.revokeToken({ tokenId }));
  const list = async (username: string) =>
    via === "rest"
      ? restOutcome(await m.api("GET", `/v1/accounts/${username}/tokens`), (b) =>
          (b as { tokens: { audience: string; revoked_at: string | null }[] }).tokens.map((t) => ({
            audience: t.audience,
            revoked: Boolean(t.revoked_at),
          })),
        )
      : grpcOutcome(c.tokens.listTokens({ username }), (r) =>
          r.tokens.map((t) => ({ audience: t.audience, revoked: t.revokedAt !== "" })),
        );
  const issued = await issue(svc, "mcns");
  assert.ok(issued.ok, JSON.stringify(issued));
  const steps = {
    forHuman: await issue(human, "mcns"),
    noAudience: await issue(svc, ""),
    live: await list(svc),
    revoked: await revoke(issued.value),
    revokedAgain: await revoke(issued.value),
    after: await list(svc),
    unknownAccount: await list(`nobody-${via}`),
  };
  return steps;
});
