// The one rule for which tokens MCIAS's own API accepts from a caller, used by the REST router,
// the gRPC validator and the web UI's session guard alike:
//   - only tokens MCIAS issued for itself (audience "mcias"), never a login or system token a
//     platform service was meant to receive, and never an OIDC access token (those are good
//     only at userinfo and introspection, for their client);
//   - the two operations on the presented token itself (renew, logout) take any of MCIAS's own
//     login or system tokens whatever their audience, so a service can renew or end its users'
//     sessions — still never an OIDC access token (a client renews through its refresh grant).
import { AppError } from "@metacircular/mcdsl/errors";
import type { Core } from "../app.ts";
import type { TokenIdentity } from "../tokens/tokens.ts";

/** The audience (login-policy service context) of tokens for MCIAS's own API. */
export const MCIAS_AUDIENCE = "mcias";

/** What the caller's token is used for: MCIAS's API, or an operation on that token itself. */
export type TokenUse = "mcias-api" | "own-token";

export type CallerResult = { ok: true; identity: TokenIdentity } | { ok: false; error: AppError };

function refused(code: string, message: string): CallerResult {
  return { ok: false, error: AppError.unauthenticated(message, code) };
}

/** Applies the rule; never throws. */
export function checkCallerToken(core: Core, token: string, use: TokenUse): CallerResult {
  const r = core.tokens.validate(token);
  if (!r.valid) return refused("invalid_token", "invalid or expired token");
  const id = r.identity;
  if (id.clientId !== null)
    return refused(
      "oauth_token_not_accepted",
      "an OAuth access token is accepted only at the userinfo and introspection endpoints; renew it with the refresh_token grant",
    );
  if (use === "mcias-api" && id.audience !== MCIAS_AUDIENCE)
    return refused("wrong_audience", "the token was not issued for MCIAS");
  return { ok: true, identity: id };
}

/** The caller's identity under the rule, or the AppError (401 with a stable code). */
export function callerIdentity(core: Core, token: string, use: TokenUse): TokenIdentity {
  const r = checkCallerToken(core, token, use);
  if (!r.ok) throw r.error;
  return r.identity;
}

/** Admin routes and methods: a human account with the admin role (system accounts never). */
export function isAdminIdentity(id: TokenIdentity): boolean {
  return id.accountType === "human" && id.roles.includes("admin");
}

/** The rule as the check mcdsl's requireBearer plugs in (REST). */
export function callerCheck(core: Core, use: TokenUse) {
  return {
    validate: (token: string) => callerIdentity(core, token, use),
    isAdmin: isAdminIdentity,
  };
}
