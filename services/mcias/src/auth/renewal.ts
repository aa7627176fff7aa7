// Renewal and logout of the caller's own token: the one use case REST and gRPC both call.
// A renewal keeps everything that describes the original sign-in — the audience (service
// context) and the authentication time — so it never counts as a fresh login (recent-auth
// checks) and never moves a token to another service. OIDC access tokens are not renewed
// here: their lifetime belongs to their grant and only the refresh_token grant extends it, so
// deleting the client or revoking the grant reaches every token descended from it.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Account } from "../accounts/accounts.ts";
import type { Core } from "../app.ts";
import type { IssuedToken, TokenIdentity } from "../tokens/tokens.ts";

/** Which transport or kind of session asked, for the audit trail. */
export type Via = "rest" | "grpc" | "web_ui" | "oidc_browser_session";

function liveAccount(core: Core, id: TokenIdentity): Account {
  const a = core.accounts.byId(id.accountId);
  if (a?.status !== "active") throw AppError.unauthenticated("invalid or expired token");
  return a;
}

export interface SuccessorOptions {
  /** Default the token's own audience. */
  audience?: string;
  /** Default tokens.login_ttl_s. */
  ttlMs?: number;
}

/**
 * Issues the successor of a login token (same account, audience and sign-in time) and audits
 * `token_renewed`. The one renewal of the service: REST and gRPC renew through renewToken,
 * the web UI's and the OIDC provider's sliding browser sessions call it directly (they retire
 * the old token later, when the browser presents the new one).
 */
export function issueSuccessor(
  core: Core,
  id: TokenIdentity,
  via: Via,
  opts: SuccessorOptions = {},
): IssuedToken {
  const account = liveAccount(core, id);
  const ttl = opts.ttlMs ?? core.cfg.tokens.login_ttl_s * 1000;
  const issued = core.tokens.issue(account, "login", opts.audience ?? id.audience, ttl, {
    authTime: id.authTime,
  });
  core.audit.append({
    event: "token_renewed",
    outcome: "success",
    actor: account.username,
    subject: account.username,
    detail: { from: id.tokenId, to: issued.jti, via },
  });
  return issued;
}

/** Issues a successor of the caller's login token and retires the old one. */
export function renewToken(core: Core, id: TokenIdentity, via: Via): IssuedToken {
  if (id.clientId !== null)
    throw AppError.badRequest(
      "oauth_token_not_renewable",
      "OAuth access tokens are renewed only through the refresh_token grant",
    );
  if (id.kind !== "login")
    throw AppError.badRequest("not_renewable", "only login tokens are renewed");
  const issued = issueSuccessor(core, id, via);
  core.tokens.revoke(id.tokenId, "renewed");
  return issued;
}

/** Revokes the caller's token. */
export function logout(core: Core, id: TokenIdentity, via: Via, ip?: string): void {
  core.tokens.revoke(id.tokenId, "logout");
  core.audit.append({
    event: "logout",
    outcome: "success",
    actor: id.username,
    subject: id.username,
    ...(ip === undefined ? {} : { ip }),
    detail: { jti: id.tokenId, via },
  });
}
