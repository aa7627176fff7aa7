// POST /oauth2/token (RFC 6749 §3.2): grant_type=authorization_code (with the PKCE verifier
// when a challenge was sent) and grant_type=refresh_token (rotating). Clients authenticate
// with client_secret_basic or client_secret_post; public clients send client_id only.
import type { Account } from "../accounts/accounts.ts";
import { decideLoginPolicy } from "../auth/login.ts";
import { clientIp } from "../server/request.ts";
import type { Router } from "../server/router.ts";
import type { OidcClient } from "./clients.ts";
import { invalidGrant, invalidRequest, OAuthError, oauth } from "./errors.ts";
import { oauthForm } from "./params.ts";
import type { OidcProvider } from "./provider.ts";

export const TOKEN_PATH = "/oauth2/token";

function activeAccount(p: OidcProvider, id: string): Account {
  const a = p.core.accounts.byId(id);
  if (a?.status !== "active") throw invalidGrant("the account is not active");
  return a;
}

function authorizationCode(p: OidcProvider, client: OidcClient, f: Record<string, string>) {
  if (!f.code || !f.redirect_uri) throw invalidRequest("code and redirect_uri are required");
  const g = p.codes.redeem({
    clientId: client.id,
    code: f.code,
    redirectUri: f.redirect_uri,
    codeVerifier: f.code_verifier,
  });
  const account = activeAccount(p, g.grant.accountId);
  if (!p.core.tokens.validate(g.access.token).valid)
    throw invalidGrant("the authorization is no longer valid");
  // The sign-in's own token stays with MCIAS; the client gets an access token of its grant.
  p.core.tokens.revoke(g.access.jti, "oauth_code_redeemed");
  const access = p.issueAccess(client, account, g.grant);
  return p.respond(client, account, g.grant, access, g.nonce, "authorization_code");
}

/** The scope a refresh asks for: the grant's, or a subset of it (RFC 6749 §6). */
function narrowedScope(granted: string, asked: string | undefined): string {
  const wanted = (asked ?? "").split(" ").filter(Boolean);
  if (wanted.length === 0) return granted;
  const had = granted.split(" ");
  if (wanted.some((s) => !had.includes(s)))
    throw new OAuthError("invalid_scope", "a refresh cannot widen the granted scope");
  return [...new Set(wanted)].join(" ");
}

// Every refusal happens before the refresh token is consumed: a client that retries a refused
// request correctly must not look like a thief replaying a rotated token.
function refresh(p: OidcProvider, client: OidcClient, f: Record<string, string>, ip: string) {
  if (!f.refresh_token) throw invalidRequest("refresh_token is required");
  const g = p.grants.checkRefresh(f.refresh_token, client.id);
  const scope = narrowedScope(g.scope, f.scope);
  const account = activeAccount(p, g.accountId);
  const core = p.core;
  // The login policy is evaluated again: a refresh is a new token for the client's service.
  // A denial ends the grant (revoked, not consumed): the user may no longer use this client.
  const decision = decideLoginPolicy(
    core,
    account,
    { serviceName: client.serviceName, tags: [] },
    ip,
    { via: "refresh_token" },
  );
  if (decision.effect === "deny") {
    p.grants.revokeGrant(g.grantId, "policy_denied");
    throw invalidGrant(`login to ${client.serviceName} is no longer permitted by policy`);
  }
  p.grants.consumeRefresh(f.refresh_token, g.grantId);
  const access = p.issueAccess(client, account, { ...g, scope });
  // The access token carries the narrowed scope; the new refresh token keeps the grant's.
  return p.respond(client, account, { ...g, scope }, access, undefined, "refresh_token", g.scope);
}

export function registerTokenEndpoint(r: Router, p: OidcProvider): void {
  r.add(
    "POST",
    TOKEN_PATH,
    oauth(async (c) => {
      const f = await oauthForm(c);
      const client = p.clients.authenticate(c.req.header("authorization"), f);
      c.header("cache-control", "no-store");
      c.header("pragma", "no-cache");
      if (f.grant_type === "authorization_code") return c.json(authorizationCode(p, client, f));
      if (f.grant_type === "refresh_token")
        return c.json(refresh(p, client, f, clientIp(c, p.core.cfg.trusted_proxies)));
      throw new OAuthError(
        "unsupported_grant_type",
        "grant_type must be authorization_code or refresh_token",
      );
    }),
  );
}
