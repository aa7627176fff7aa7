// gRPC handlers: thin adapters from protobuf messages onto the same domain functions the REST
// routes use, so both transports have the same semantics.
import type { ConnectRouter } from "@connectrpc/connect";
import { AppError } from "@metacircular/mcdsl/errors";
import { AccountService } from "@metacircular/proto/mcias/v1/account_pb";
import { AdminService } from "@metacircular/proto/mcias/v1/admin_pb";
import { AuthService } from "@metacircular/proto/mcias/v1/auth_pb";
import { PolicyService } from "@metacircular/proto/mcias/v1/policy_pb";
import { TokenService } from "@metacircular/proto/mcias/v1/token_pb";
import type { Role } from "../accounts/accounts.ts";
import {
  createAccount,
  deleteAccount,
  issueSystemToken,
  resetPassword,
  revokeToken,
  setAccountEnabled,
  setAccountRoles,
  unlockAccount,
} from "../accounts/admin.ts";
import type { Core } from "../app.ts";
import { DEFAULT_SERVICE, passwordLogin } from "../auth/login.ts";
import { logout, renewToken } from "../auth/renewal.ts";
import { UNKNOWN_PEER } from "../protection/throttle.ts";
import { accountMsg, caller, iso, ruleInput, ruleMsg } from "./convert.ts";
import { accountPasskeyHandlers, authPasskeyHandlers } from "./handlers-passkeys.ts";

/** Connect exposes no peer address; per-IP limits apply to REST, per-account ones to both. */
const GRPC_PEER = UNKNOWN_PEER;

export function registerHandlers(router: ConnectRouter, core: Core): void {
  router.service(AuthService, {
    ...authPasskeyHandlers(core),
    async login(req) {
      const r = await passwordLogin(core, {
        username: req.username,
        password: req.password,
        totpCode: req.totpCode || undefined,
        serviceName: req.serviceName || DEFAULT_SERVICE,
        tags: req.tags,
        ip: GRPC_PEER,
      });
      return {
        token: r.token,
        tokenId: r.jti,
        expiresAt: iso(r.expiresAt),
        username: r.username,
        accountType: r.accountType,
        roles: r.roles,
      };
    },
    logout(_req, ctx) {
      logout(core, caller(ctx), "grpc");
      return {};
    },
    renewToken(_req, ctx) {
      const t = renewToken(core, caller(ctx), "grpc");
      return { token: t.token, tokenId: t.jti, expiresAt: iso(t.expiresAt) };
    },
    whoAmI(_req, ctx) {
      const id = caller(ctx);
      return { account: accountMsg(core.accounts.byId(id.accountId)!), tokenId: id.tokenId };
    },
  });

  router.service(TokenService, {
    validateToken(req) {
      const r = core.tokens.validateFor(req.token, req.serviceName || undefined);
      const epoch = BigInt(core.tokens.epoch());
      if (!r.valid) return { valid: false, epoch };
      const i = r.identity;
      return {
        valid: true,
        epoch,
        username: i.username,
        accountType: i.accountType,
        roles: i.roles,
        tokenId: i.tokenId,
        audience: i.audience,
        expiresAt: iso(i.expiresAt),
      };
    },
    async listRevocations(req, ctx) {
      const wait = Math.min(Math.max(req.waitSeconds, 0), 30) * 1000;
      const p = await core.tokens.waitForRevocations(Number(req.since), wait, ctx.signal);
      return {
        epoch: BigInt(p.epoch),
        revokedTokenIds: p.revoked,
        changedTokenIds: p.changed,
        reset: p.reset,
      };
    },
    issueSystemToken(req, ctx) {
      const t = issueSystemToken(core, caller(ctx).username, req.username, req.audience);
      return { token: t.token, tokenId: t.jti, expiresAt: iso(t.expiresAt) };
    },
    revokeToken(req, ctx) {
      if (!revokeToken(core, caller(ctx).username, req.tokenId))
        throw AppError.notFound("token_not_found", "no such live token");
      return { epoch: BigInt(core.tokens.epoch()) };
    },
    listTokens(req) {
      const a = core.accounts.get(req.username);
      return {
        tokens: core.tokens.listFor(a.id).map((t) => ({
          tokenId: t.jti,
          kind: t.kind,
          audience: t.audience,
          issuedAt: iso(t.issuedAt),
          expiresAt: iso(t.expiresAt),
          revokedAt: iso(t.revokedAt),
        })),
      };
    },
  });

  router.service(AccountService, {
    ...accountPasskeyHandlers(core),
    async createAccount(req, ctx) {
      const type =
        req.type === "system"
          ? "system"
          : req.type === "" || req.type === "human"
            ? "human"
            : undefined;
      if (!type) throw AppError.badRequest("invalid_request", "type must be human or system");
      const roles = (req.roles.length === 0 && type === "human" ? ["user"] : req.roles) as Role[];
      const a = await createAccount(core, caller(ctx).username, {
        username: req.username,
        type,
        roles,
        password: req.password || undefined,
      });
      return { account: accountMsg(a) };
    },
    listAccounts(req) {
      return {
        accounts: core.accounts.list({ includeDeleted: req.includeDeleted }).map(accountMsg),
      };
    },
    getAccount(req) {
      return { account: accountMsg(core.accounts.get(req.username)) };
    },
    deleteAccount(req, ctx) {
      deleteAccount(core, caller(ctx).username, req.username);
      return {};
    },
    setAccountEnabled(req, ctx) {
      return {
        account: accountMsg(
          setAccountEnabled(core, caller(ctx).username, req.username, req.enabled),
        ),
      };
    },
    setRoles(req, ctx) {
      return {
        account: accountMsg(setAccountRoles(core, caller(ctx).username, req.username, req.roles)),
      };
    },
    async resetPassword(req, ctx) {
      await resetPassword(core, caller(ctx).username, req.username, req.password);
      return {};
    },
    unlockAccount(req, ctx) {
      return { hadFailures: unlockAccount(core, caller(ctx).username, req.username) };
    },
  });

  router.service(PolicyService, {
    listRules() {
      return { defaultEffect: core.cfg.policy.default, rules: core.policy.list().map(ruleMsg) };
    },
    createRule(req, ctx) {
      const rule = core.policy.create(ruleInput(req.rule));
      core.audit.append({
        event: "policy_created",
        outcome: "success",
        actor: caller(ctx).username,
        detail: { rule: rule.id },
      });
      return { rule: ruleMsg(rule) };
    },
    updateRule(req, ctx) {
      const rule = core.policy.update(Number(req.rule?.id ?? 0), ruleInput(req.rule));
      core.audit.append({
        event: "policy_updated",
        outcome: "success",
        actor: caller(ctx).username,
        detail: { rule: rule.id },
      });
      return { rule: ruleMsg(rule) };
    },
    deleteRule(req, ctx) {
      core.policy.delete(Number(req.id));
      core.audit.append({
        event: "policy_deleted",
        outcome: "success",
        actor: caller(ctx).username,
        detail: { rule: Number(req.id) },
      });
      return {};
    },
  });

  router.service(AdminService, {
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
      const kid = core.keys.rotate();
      core.audit.append({
        event: "signing_key_rotated",
        outcome: "success",
        actor: caller(ctx).username,
        detail: { kid },
      });
      return { kid, kids: core.keys.jwks().keys.map((k) => k.kid) };
    },
  });
}
