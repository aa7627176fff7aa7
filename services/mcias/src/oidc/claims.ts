// Claims about the user (ID token and userinfo) and the ID token itself (OIDC Core §2, §3.1.3.6).
// `sub` is the account id: stable across renames and never reused.
import { createHash } from "node:crypto";
import type { Account } from "../accounts/accounts.ts";

export const SUPPORTED_SCOPES = ["openid", "profile", "roles", "offline_access"];
export const SUPPORTED_CLAIMS = [
  "sub",
  "iss",
  "aud",
  "exp",
  "iat",
  "auth_time",
  "nonce",
  "at_hash",
  "azp",
  "preferred_username",
  "name",
  "roles",
];

export const hasScope = (scope: string, s: string) => scope.split(" ").includes(s);

/** Claims the granted scopes allow: profile → names, roles → MCIAS roles. */
export function userClaims(account: Account, scope: string): Record<string, unknown> {
  return {
    sub: account.id,
    ...(hasScope(scope, "profile")
      ? { preferred_username: account.username, name: account.username }
      : {}),
    ...(hasScope(scope, "roles") ? { roles: account.roles } : {}),
  };
}

/** at_hash: base64url of the left half of SHA-256 over the access token (RS256). */
export function atHash(accessToken: string): string {
  return createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url");
}

export interface IdTokenInput {
  issuer: string;
  clientId: string;
  account: Account;
  scope: string;
  nonce?: string | undefined;
  authTimeMs: number;
  nowMs: number;
  ttlS: number;
  accessToken: string;
}

export function idTokenClaims(i: IdTokenInput): Record<string, unknown> {
  const iat = Math.floor(i.nowMs / 1000);
  return {
    iss: i.issuer,
    aud: i.clientId,
    azp: i.clientId,
    iat,
    exp: iat + i.ttlS,
    auth_time: Math.floor(i.authTimeMs / 1000),
    ...(i.nonce === undefined ? {} : { nonce: i.nonce }),
    at_hash: atHash(i.accessToken),
    ...userClaims(i.account, i.scope),
  };
}
