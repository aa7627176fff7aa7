// Endpoints about issued tokens:
//   GET|POST /oauth2/userinfo    OIDC Core §5.3, Bearer access token → claims of its scopes
//   POST     /oauth2/introspect  RFC 7662, confidential clients; active only for tokens of
//                                the caller's service (audience), live and unrevoked
//   POST     /oauth2/revoke      RFC 7009, any authenticated client, its own tokens only
import type { Context } from "hono";
import { bearer, type Router } from "../server/router.ts";
import { userClaims } from "./claims.ts";
import type { OidcClient } from "./clients.ts";
import { invalidClient, invalidRequest, invalidToken, OAuthError, oauth } from "./errors.ts";
import { oauthForm } from "./params.ts";
import type { OidcProvider } from "./provider.ts";

export const USERINFO_PATH = "/oauth2/userinfo";
export const INTROSPECT_PATH = "/oauth2/introspect";
export const REVOKE_PATH = "/oauth2/revoke";

function introspect(p: OidcProvider, serviceName: string, clientId: string, token: string) {
  const r = p.core.tokens.validateFor(token, serviceName);
  if (r.valid) {
    const id = r.identity;
    const meta = p.grants.access(id.tokenId);
    return {
      active: true,
      token_type: "Bearer",
      scope: meta?.scope ?? "",
      ...(meta ? { client_id: meta.clientId } : {}),
      username: id.username,
      sub: id.accountId,
      aud: id.audience,
      // The issuer the token names (OAuth access tokens: the discovery issuer).
      iss: id.clientId === null ? p.core.cfg.tokens.issuer : p.issuer,
      iat: Math.floor(id.issuedAt / 1000),
      exp: Math.floor(id.expiresAt / 1000),
      jti: id.tokenId,
      roles: id.roles,
      account_type: id.accountType,
    };
  }
  const g = p.grants.refreshGrant(token, clientId);
  const account = g ? p.core.accounts.byId(g.accountId) : undefined;
  if (!g || account?.status !== "active") return { active: false };
  return {
    active: true,
    token_type: "refresh_token",
    scope: g.scope,
    client_id: g.clientId,
    username: account.username,
    sub: account.id,
  };
}

export function registerResourceEndpoints(r: Router, p: OidcProvider): void {
  const core = p.core;

  const userinfo = oauth(async (c: Context) => {
    let token = bearer(c);
    if (!token && c.req.method === "POST") token = (await oauthForm(c)).access_token;
    if (!token) throw invalidToken("a Bearer access token is required");
    const v = core.tokens.validate(token);
    if (!v.valid) throw invalidToken("the access token is invalid, expired or revoked");
    const meta = p.grants.access(v.identity.tokenId);
    if (!meta) throw invalidToken("not an OAuth access token");
    if (!meta.scope.split(" ").includes("openid"))
      throw new OAuthError(
        "insufficient_scope",
        "the openid scope is required",
        403,
        'Bearer realm="mcias", error="insufficient_scope"',
      );
    const account = core.accounts.byId(meta.accountId);
    if (!account) throw invalidToken("the account no longer exists");
    c.header("cache-control", "no-store");
    return c.json(userClaims(account, meta.scope));
  });
  r.add("GET", USERINFO_PATH, userinfo);
  r.add("POST", USERINFO_PATH, userinfo);

  r.add(
    "POST",
    INTROSPECT_PATH,
    oauth(async (c) => {
      const f = await oauthForm(c);
      const client = p.clients.authenticate(c.req.header("authorization"), f);
      if (client.type === "public")
        throw invalidClient("introspection requires a confidential client");
      if (!f.token) throw invalidRequest("token is required");
      c.header("cache-control", "no-store");
      return c.json(introspect(p, client.serviceName, client.id, f.token));
    }),
  );

  r.add(
    "POST",
    REVOKE_PATH,
    oauth(async (c) => {
      const f = await oauthForm(c);
      const client = p.clients.authenticate(c.req.header("authorization"), f);
      if (!f.token) throw invalidRequest("token is required");
      const revoked = revokeOwnToken(p, client, f.token);
      if (revoked)
        core.audit.append({
          event: "oidc_token_revoked",
          outcome: "success",
          subject: revoked.username,
          detail: { client_id: client.id, token_type: revoked.type },
        });
      // RFC 7009 §2.2: unknown or already invalid tokens are answered 200 as well.
      c.header("cache-control", "no-store");
      return c.body(null, 200);
    }),
  );
}

const notYours = () =>
  new OAuthError("unauthorized_client", "the token was not issued to this client");

/**
 * RFC 7009 §2.1: a live token issued to another client is refused (unauthorized_client);
 * unknown, expired or already revoked tokens are nothing to do. A plain MCIAS token (not
 * issued through OAuth) belongs to the client whose service it was issued for.
 */
function revokeOwnToken(
  p: OidcProvider,
  client: OidcClient,
  token: string,
): { type: string; username: string | null } | undefined {
  const v = p.core.tokens.validate(token);
  if (v.valid) {
    const meta = p.grants.access(v.identity.tokenId);
    const mine = meta ? meta.clientId === client.id : v.identity.audience === client.serviceName;
    if (!mine) throw notYours();
    if (!p.core.tokens.revoke(v.identity.tokenId, "oauth_revoke")) return undefined;
    return { type: "access_token", username: v.identity.username };
  }
  const found = p.grants.findRefresh(token);
  if (!found?.live) return undefined;
  if (found.grant.clientId !== client.id) throw notYours();
  p.grants.revokeGrant(found.grant.grantId, "oauth_revoke");
  return { type: "refresh_token", username: null };
}
