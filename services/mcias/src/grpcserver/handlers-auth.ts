// gRPC AuthService and TokenService: sign-in, the caller's own token and token administration,
// each method translating its messages for one domain call.
import type { ServiceImpl } from "@connectrpc/connect";
import type { AuthService } from "@metacircular/proto/mcias/v1/auth_pb";
import type { TokenService } from "@metacircular/proto/mcias/v1/token_pb";
import type { Core } from "../app.ts";
import { DEFAULT_SERVICE, passwordLogin } from "../auth/login.ts";
import { logout, renewToken } from "../auth/renewal.ts";
import { UNKNOWN_PEER } from "../protection/throttle.ts";
import { issueSystemToken, listAccountTokens, revokeLiveToken } from "../tokens/admin.ts";
import { accountMsg, caller, iso, loginMsg } from "./convert.ts";
import { authPasskeyHandlers } from "./handlers-passkeys.ts";

/** Connect exposes no peer address; per-IP limits apply to REST, per-account ones to both. */
const GRPC_PEER = UNKNOWN_PEER;

export function authHandlers(core: Core): ServiceImpl<typeof AuthService> {
  return {
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
      return loginMsg(r);
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
  };
}

export function tokenHandlers(core: Core): ServiceImpl<typeof TokenService> {
  return {
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
      revokeLiveToken(core, caller(ctx).username, req.tokenId);
      return { epoch: BigInt(core.tokens.epoch()) };
    },
    listTokens(req) {
      return {
        tokens: listAccountTokens(core, req.username).map((t) => ({
          tokenId: t.jti,
          kind: t.kind,
          audience: t.audience,
          issuedAt: iso(t.issuedAt),
          expiresAt: iso(t.expiresAt),
          revokedAt: iso(t.revokedAt),
        })),
      };
    },
  };
}
