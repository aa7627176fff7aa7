// gRPC AccountService, PolicyService and AdminService: each method translates its messages for
// one domain call (src/accounts/admin.ts, src/policy/admin.ts, src/tokens/admin.ts), the same
// functions the REST routes, the web UI and mciasctl reach.
import type { ServiceImpl } from "@connectrpc/connect";
import type { AccountService } from "@metacircular/proto/mcias/v1/account_pb";
import type { AdminService } from "@metacircular/proto/mcias/v1/admin_pb";
import type { PolicyService } from "@metacircular/proto/mcias/v1/policy_pb";
import {
  createAccount,
  deleteAccount,
  resetPassword,
  setAccountEnabled,
  setAccountRoles,
  unlockAccount,
} from "../accounts/admin.ts";
import type { Core } from "../app.ts";
import { createRule, deleteRule, listRules, updateRule } from "../policy/admin.ts";
import { rotateSigningKey } from "../tokens/admin.ts";
import { accountMsg, caller, iso, ruleInput, ruleMsg } from "./convert.ts";
import { accountPasskeyHandlers } from "./handlers-passkeys.ts";
import { policyToolHandlers } from "./handlers-policy-tools.ts";

export function accountHandlers(core: Core): ServiceImpl<typeof AccountService> {
  const actor = (ctx: Parameters<typeof caller>[0]) => caller(ctx).username;
  return {
    ...accountPasskeyHandlers(core),
    async createAccount(req, ctx) {
      const a = await createAccount(core, actor(ctx), {
        username: req.username,
        type: req.type,
        roles: req.roles,
        password: req.password || undefined,
      });
      return { account: accountMsg(a) };
    },
    listAccounts(req) {
      const list = core.accounts.list({ includeDeleted: req.includeDeleted });
      return { accounts: list.map(accountMsg) };
    },
    getAccount(req) {
      return { account: accountMsg(core.accounts.get(req.username)) };
    },
    deleteAccount(req, ctx) {
      deleteAccount(core, actor(ctx), req.username);
      return {};
    },
    setAccountEnabled(req, ctx) {
      const a = setAccountEnabled(core, actor(ctx), req.username, req.enabled);
      return { account: accountMsg(a) };
    },
    setRoles(req, ctx) {
      return { account: accountMsg(setAccountRoles(core, actor(ctx), req.username, req.roles)) };
    },
    async resetPassword(req, ctx) {
      await resetPassword(core, actor(ctx), req.username, req.password);
      return {};
    },
    unlockAccount(req, ctx) {
      return { hadFailures: unlockAccount(core, actor(ctx), req.username) };
    },
  };
}

export function policyHandlers(core: Core): ServiceImpl<typeof PolicyService> {
  return {
    ...policyToolHandlers(core),
    listRules() {
      const l = listRules(core);
      return { defaultEffect: l.defaultEffect, rules: l.rules.map(ruleMsg) };
    },
    createRule(req, ctx) {
      return { rule: ruleMsg(createRule(core, caller(ctx).username, ruleInput(req.rule))) };
    },
    updateRule(req, ctx) {
      const id = Number(req.rule?.id ?? 0);
      return { rule: ruleMsg(updateRule(core, caller(ctx).username, id, ruleInput(req.rule))) };
    },
    deleteRule(req, ctx) {
      deleteRule(core, caller(ctx).username, Number(req.id));
      return {};
    },
  };
}

export function adminHandlers(core: Core): ServiceImpl<typeof AdminService> {
  return {
    listAuditEvents(req) {
      const rows = core.audit.query({
        event: req.event || undefined,
        actor: req.actor || undefined,
        subject: req.subject || undefined,
        limit: req.limit || undefined,
      });
      return {
        events: rows.map((e) => ({
          seq: BigInt(e.seq),
          time: iso(e.ts),
          event: e.event,
          actor: e.actor ?? "",
          subject: e.subject ?? "",
          ip: e.ip ?? "",
          outcome: e.outcome,
          detailJson: e.detail,
          hash: e.hash,
        })),
      };
    },
    verifyAudit() {
      const v = core.audit.verify();
      return {
        ok: v.ok,
        rows: BigInt(v.rows),
        problems: v.problems.map((p) => ({ seq: BigInt(p.seq), problem: p.problem })),
      };
    },
    rotateSigningKey(_req, ctx) {
      return rotateSigningKey(core, caller(ctx).username);
    },
  };
}
