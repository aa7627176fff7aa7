// The OpenID Connect provider's state and the one place tokens are minted: an access token
// (an MCIAS login token for the client's service, issued by the discovery issuer, revocable by
// jti), its OAuth metadata, the RS256 ID token and, with offline_access, a rotating refresh token.
import { randomBytes } from "node:crypto";
import type { Account } from "../accounts/accounts.ts";
import type { Core } from "../app.ts";
import { type CodeBinding, CodeStore } from "../sso/codes.ts";
import type { IssuedToken } from "../tokens/tokens.ts";
import { OidcBrowserSessions } from "./browser-session.ts";
import { hasScope, idTokenClaims } from "./claims.ts";
import { OidcClientStore } from "./client-store.ts";
import { type OidcClient, OidcClients } from "./clients.ts";
import { type GrantInfo, OidcGrants } from "./grants.ts";
import type { OidcKeyRing } from "./keys.ts";

/** What an authorization code stands for: the login that happened and what was asked. */
export interface OidcCode extends CodeBinding {
  grant: GrantInfo;
  nonce?: string | undefined;
  access: IssuedToken;
}

export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
}

export class OidcProvider {
  readonly issuer: string;
  /** The issuer without a trailing slash, for building endpoint URLs. */
  readonly base: string;
  readonly clients: OidcClients;
  readonly clientStore: OidcClientStore;
  readonly grants: OidcGrants;
  readonly codes: CodeStore<OidcCode>;
  readonly keys: OidcKeyRing;
  /** Browser sessions at MCIAS: single sign-on, prompt=none and RP-initiated logout. */
  readonly sessions: OidcBrowserSessions;
  private lastPrune = 0;

  constructor(
    readonly core: Core,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const issuer = core.cfg.oidc.issuer;
    if (!issuer)
      throw new Error("[oidc] issuer (MCIAS's public URL) is required with oidc_clients");
    if (!core.oidcKeys) throw new Error("OIDC signing keys are not initialised");
    this.issuer = issuer;
    this.base = issuer.replace(/\/+$/, "");
    this.clientStore = new OidcClientStore(core.db, core.now);
    this.clients = new OidcClients(core.cfg.oidc_clients, env, this.clientStore);
    this.grants = new OidcGrants(core.db, core.tokens, core.now);
    this.keys = core.oidcKeys;
    this.sessions = new OidcBrowserSessions(core);
    // RFC 6749 §4.1.2: a code used twice revokes every token issued from it.
    this.codes = new CodeStore<OidcCode>(core.now, (code) => {
      const n = this.grants.revokeGrant(code.grant.grantId, "code_reuse");
      core.audit.append({
        event: "oidc_code_reuse",
        outcome: "denied",
        detail: { client_id: code.clientId, grant: code.grant.grantId, revoked: n },
      });
    });
  }

  newGrantId(): string {
    return randomBytes(16).toString("base64url");
  }

  /**
   * Mints an access token for the client: an MCIAS login token for the client's service whose
   * `iss` is the discovery issuer, recorded with its grant at once (so client deletion and grant
   * revocation reach it, and MCIAS's own API refuses it: src/auth/caller.ts).
   */
  issueAccess(client: OidcClient, account: Account, g: GrantInfo): IssuedToken {
    const access = this.core.tokens.issue(
      account,
      "login",
      client.serviceName,
      this.core.cfg.tokens.login_ttl_s * 1000,
      { authTime: g.authTime, oauth: true },
    );
    this.grants.recordAccess(access.jti, g, access.expiresAt);
    return access;
  }

  /** Builds the token response for an access token from issueAccess (audited). */
  respond(
    client: OidcClient,
    account: Account,
    g: GrantInfo,
    access: IssuedToken,
    nonce: string | undefined,
    how: "authorization_code" | "refresh_token",
    /** Scope of the new refresh token: the grant's, even when the access token's is narrower. */
    refreshScope = g.scope,
  ): TokenResponse {
    const now = this.core.now();
    if (now - this.lastPrune > 3_600_000) {
      this.lastPrune = now;
      this.grants.prune();
    }
    const res: TokenResponse = {
      access_token: access.token,
      token_type: "Bearer",
      expires_in: Math.max(0, Math.floor((access.expiresAt - now) / 1000)),
      scope: g.scope,
    };
    if (hasScope(g.scope, "openid"))
      res.id_token = this.keys.signJwt(
        idTokenClaims({
          issuer: this.issuer,
          clientId: client.id,
          account,
          scope: g.scope,
          nonce,
          authTimeMs: g.authTime,
          nowMs: now,
          ttlS: this.core.cfg.oidc.id_token_ttl_s,
          accessToken: access.token,
        }),
      );
    if (hasScope(refreshScope, "offline_access"))
      res.refresh_token = this.grants.issueRefresh(
        { ...g, scope: refreshScope },
        this.core.cfg.oidc.refresh_ttl_s * 1000,
      );
    this.core.audit.append({
      event: "oidc_token_issued",
      outcome: "success",
      subject: account.username,
      detail: {
        client_id: client.id,
        grant_type: how,
        scope: g.scope,
        jti: access.jti,
        grant: g.grantId,
        id_token: res.id_token !== undefined,
        refresh_token: res.refresh_token !== undefined,
      },
    });
    return res;
  }
}
