// Token administration: the one audited use case per action that REST, gRPC, the web UI and
// (through REST) mciasctl call — system tokens, revocation, an account's token list and the
// rotation of the signing key.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Core } from "../app.ts";
import type { IssuedToken } from "./tokens.ts";

export type TokenSummary = ReturnType<Core["tokens"]["listFor"]>[number];

export function issueSystemToken(
  core: Core,
  actor: string,
  username: string,
  audience: string,
): IssuedToken {
  // A token names the one service it is for; no token is good everywhere.
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(audience))
    throw AppError.badRequest(
      "audience_required",
      "a system token needs the service name it is for (letters, digits, . _ -)",
    );
  const a = core.accounts.get(username);
  if (a.type !== "system")
    throw AppError.badRequest(
      "not_system_account",
      "system tokens are only issued to system accounts",
    );
  if (a.status !== "active") throw AppError.conflict("account_disabled", "the account is disabled");
  const issued = core.tokens.issue(
    a,
    "system",
    audience,
    core.cfg.tokens.system_ttl_days * 86_400_000,
  );
  core.audit.append({
    event: "token_issued",
    outcome: "success",
    actor,
    subject: a.username,
    detail: { jti: issued.jti, kind: "system", audience },
  });
  return issued;
}

/** Revokes a token by id (audited either way); false when there was no live token. */
export function revokeToken(
  core: Core,
  actor: string,
  jti: string,
  reason = "admin_revoke",
): boolean {
  const ok = core.tokens.revoke(jti, reason);
  core.audit.append({
    event: "token_revoked",
    outcome: ok ? "success" : "failure",
    actor,
    detail: { jti, reason },
  });
  return ok;
}

/** The admin API's revocation: 404 token_not_found when there is no live token. */
export function revokeLiveToken(core: Core, actor: string, jti: string): void {
  if (!revokeToken(core, actor, jti))
    throw AppError.notFound("token_not_found", "no such live token");
}

/** Revokes one of an account's own tokens (404 token_not_found for any other id). */
export function revokeTokenOf(
  core: Core,
  actor: string,
  accountId: string,
  jti: string,
  reason = "admin_revoke",
): void {
  if (!core.tokens.listFor(accountId).some((t) => t.jti === jti))
    throw AppError.notFound("token_not_found", "no such token for this account");
  revokeToken(core, actor, jti, reason);
}

/** The newest tokens issued to an account (live, expired and revoked). */
export function listAccountTokens(core: Core, username: string): TokenSummary[] {
  return core.tokens.listFor(core.accounts.get(username).id);
}

/** Starts signing with a new key; returns its kid and every published kid. */
export function rotateSigningKey(core: Core, actor: string): { kid: string; kids: string[] } {
  const kid = core.keys.rotate();
  core.audit.append({ event: "signing_key_rotated", outcome: "success", actor, detail: { kid } });
  return { kid, kids: core.keys.jwks().keys.map((k) => k.kid) };
}
