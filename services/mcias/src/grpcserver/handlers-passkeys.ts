// gRPC passkey handlers (AuthService: the caller's passkeys and passkey login; AccountService:
// the admin view). Same domain calls and semantics as src/server/routes-passkeys.ts; WebAuthn
// options and responses travel as JSON strings.
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { AppError } from "@metacircular/mcdsl/errors";
import type { AccountService } from "@metacircular/proto/mcias/v1/account_pb";
import type { AuthService } from "@metacircular/proto/mcias/v1/auth_pb";
import { listAccountPasskeys, removeAccountPasskey } from "../accounts/admin.ts";
import type { Core } from "../app.ts";
import { DEFAULT_SERVICE, finishLogin } from "../auth/login.ts";
import { UNKNOWN_PEER } from "../protection/throttle.ts";
import type { PasskeyInfo } from "../webauthn/passkeys.ts";
import { caller, iso, loginMsg } from "./convert.ts";

type AuthPasskeyMethods = Pick<
  ServiceImpl<typeof AuthService>,
  | "beginPasskeyRegistration"
  | "finishPasskeyRegistration"
  | "listPasskeys"
  | "deletePasskey"
  | "beginPasskeyLogin"
  | "finishPasskeyLogin"
>;
type AccountPasskeyMethods = Pick<
  ServiceImpl<typeof AccountService>,
  "listAccountPasskeys" | "deleteAccountPasskey"
>;

const passkeyMsg = (p: PasskeyInfo) => ({
  id: p.id,
  name: p.name,
  createdAt: iso(p.createdAt),
  lastUsedAt: iso(p.lastUsedAt),
});

function parseJson(s: string, field: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    throw AppError.badRequest("passkey_invalid_response", `${field} is not JSON`);
  }
}

export function authPasskeyHandlers(core: Core): AuthPasskeyMethods {
  const me = (ctx: HandlerContext) => {
    const a = core.accounts.byId(caller(ctx).accountId);
    if (!a) throw AppError.unauthenticated();
    return a;
  };
  return {
    async beginPasskeyRegistration(_req, ctx) {
      const b = await core.passkeys.beginRegistration(me(ctx), caller(ctx).authTime);
      return { challengeId: b.challengeId, optionsJson: JSON.stringify(b.options) };
    },
    async finishPasskeyRegistration(req, ctx) {
      const account = me(ctx);
      const response = parseJson(req.responseJson, "response_json");
      const p = await core.passkeys.finishRegistration(
        account,
        req.challengeId,
        response,
        req.name,
      );
      return { passkey: passkeyMsg(p) };
    },
    listPasskeys(_req, ctx) {
      return { passkeys: core.passkeys.list(me(ctx).id).map(passkeyMsg) };
    },
    deletePasskey(req, ctx) {
      core.passkeys.remove(me(ctx).id, req.id);
      return {};
    },
    async beginPasskeyLogin(req) {
      const b = await core.passkeys.beginLogin(req.username || undefined);
      return { challengeId: b.challengeId, optionsJson: JSON.stringify(b.options) };
    },
    async finishPasskeyLogin(req) {
      const response = parseJson(req.responseJson, "response_json");
      const account = await core.passkeys.finishLogin(req.challengeId, response, UNKNOWN_PEER);
      const r = finishLogin(
        core,
        account,
        { serviceName: req.serviceName || DEFAULT_SERVICE, tags: req.tags },
        { verified: true, method: "passkey" },
        UNKNOWN_PEER,
      );
      return loginMsg(r);
    },
  };
}

export function accountPasskeyHandlers(core: Core): AccountPasskeyMethods {
  return {
    listAccountPasskeys(req) {
      return { passkeys: listAccountPasskeys(core, req.username).map(passkeyMsg) };
    },
    deleteAccountPasskey(req, ctx) {
      removeAccountPasskey(core, caller(ctx).username, req.username, req.id);
      return {};
    },
  };
}
