// Delegated administration of the login policy (access kind "admin-delegated"): a policy tool
// such as MCAT calls MCIAS with its own system token (audience "mcias") and, in the header
// `X-Mcias-On-Behalf-Of`, the token of the administrator signed in to it. MCIAS accepts the call
// only when the system account is named in `[policy] tool_accounts`, and the administrator's
// token is valid, not an OAuth token, issued for that tool (audience = the tool account's name)
// and carries the admin role. The caller is then the administrator (audit actor), so the tool's
// token alone can do nothing, and a user token alone never reaches the admin API either.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Core } from "../app.ts";
import type { TokenIdentity } from "../tokens/tokens.ts";
import { isAdminIdentity } from "./caller.ts";

export const ON_BEHALF_HEADER = "x-mcias-on-behalf-of";

/** The administrator a tool acts for, or 401/403 with a stable code. */
export function delegatedAdmin(core: Core, tool: TokenIdentity, onBehalf: string): TokenIdentity {
  if (tool.accountType !== "system" || !core.cfg.policy.tool_accounts.includes(tool.username))
    throw AppError.forbidden("this account may not act for administrators", "delegation_refused");
  const r = core.tokens.validate(onBehalf);
  if (!r.valid || r.identity.clientId !== null)
    throw AppError.unauthenticated(
      "the delegated token is invalid or expired",
      "invalid_delegated_token",
    );
  if (r.identity.audience !== tool.username)
    throw AppError.unauthenticated(
      "the delegated token was not issued for this tool",
      "wrong_audience",
    );
  if (!isAdminIdentity(r.identity))
    throw AppError.forbidden("the delegating account is not an administrator", "forbidden");
  return r.identity;
}
