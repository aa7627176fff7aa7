// What MCIAS remembers about OAuth grants. An access token is an ordinary MCIAS token
// (recorded and revocable by jti); this store adds its OAuth metadata — client, scope,
// authentication time and the grant (authorization) it belongs to — and keeps refresh tokens
// as SHA-256 digests. Refresh tokens rotate on every use; presenting a rotated one again means
// it leaked, so the whole grant (every access and refresh token) is revoked.
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/open.ts";
import type { TokenService } from "../tokens/tokens.ts";
import { invalidGrant } from "./errors.ts";

export interface GrantInfo {
  grantId: string;
  clientId: string;
  accountId: string;
  /** Space-separated granted scopes. */
  scope: string;
  /** When the user authenticated (ms). */
  authTime: number;
}

interface Row {
  grant_id: string;
  client_id: string;
  account_id: string;
  scope: string;
  auth_time: number;
  expires_at: number;
}

const digest = (t: string) => createHash("sha256").update(t).digest("hex");

const info = (r: Row): GrantInfo => ({
  grantId: r.grant_id,
  clientId: r.client_id,
  accountId: r.account_id,
  scope: r.scope,
  authTime: r.auth_time,
});

export class OidcGrants {
  constructor(
    private readonly db: Db,
    private readonly tokens: TokenService,
    private readonly now: () => number,
  ) {}

  recordAccess(jti: string, g: GrantInfo, expiresAt: number): void {
    this.db
      .prepare(
        "INSERT INTO oidc_tokens (jti, grant_id, client_id, account_id, scope, auth_time, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(jti, g.grantId, g.clientId, g.accountId, g.scope, g.authTime, expiresAt);
  }

  /** OAuth metadata of an access token, or undefined when it was not issued through OAuth. */
  access(jti: string): GrantInfo | undefined {
    const r = this.db
      .prepare(
        "SELECT grant_id, client_id, account_id, scope, auth_time, expires_at FROM oidc_tokens WHERE jti = ?",
      )
      .get(jti) as Row | undefined;
    return r ? info(r) : undefined;
  }

  issueRefresh(g: GrantInfo, ttlMs: number): string {
    const token = randomBytes(32).toString("base64url");
    this.db
      .prepare(
        "INSERT INTO oidc_refresh_tokens (token_hash, grant_id, client_id, account_id, scope, auth_time, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(
        digest(token),
        g.grantId,
        g.clientId,
        g.accountId,
        g.scope,
        g.authTime,
        this.now() + ttlMs,
      );
    return token;
  }

  private refreshRow(token: string) {
    return this.db
      .prepare(
        "SELECT grant_id, client_id, account_id, scope, auth_time, expires_at, used_at, revoked_at FROM oidc_refresh_tokens WHERE token_hash = ?",
      )
      .get(digest(token)) as
      | (Row & { used_at: number | null; revoked_at: number | null })
      | undefined;
  }

  /**
   * Checks a refresh token without consuming it, so a request refused for any other reason
   * (scope, account state, policy) leaves it usable. Reuse of a consumed one revokes its grant.
   */
  checkRefresh(token: string, clientId: string): GrantInfo {
    const r = this.refreshRow(token);
    if (!r || r.client_id !== clientId) throw invalidGrant("unknown refresh token");
    if (r.revoked_at !== null) throw invalidGrant("refresh token was revoked");
    if (r.used_at !== null) this.reused(r.grant_id);
    if (r.expires_at <= this.now()) throw invalidGrant("refresh token expired");
    return info(r);
  }

  /**
   * Consumes a checked refresh token (rotation), the last step before new tokens are issued.
   * Losing a race against a concurrent use of the same token counts as reuse.
   */
  consumeRefresh(token: string, grantId: string): void {
    const changed = this.db
      .prepare(
        "UPDATE oidc_refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL",
      )
      .run(this.now(), digest(token)).changes;
    if (changed !== 1) this.reused(grantId);
  }

  private reused(grantId: string): never {
    this.revokeGrant(grantId, "refresh_token_reuse");
    throw invalidGrant("refresh token was already used; the grant is revoked");
  }

  /** Who a refresh token was issued to and whether it is still live (RFC 7009 revocation). */
  findRefresh(token: string): { grant: GrantInfo; live: boolean } | undefined {
    const r = this.refreshRow(token);
    if (!r) return undefined;
    const live = r.revoked_at === null && r.used_at === null && r.expires_at > this.now();
    return { grant: info(r), live };
  }

  /** The grant a live refresh token of this client belongs to (introspection). */
  refreshGrant(token: string, clientId: string): GrantInfo | undefined {
    const found = this.findRefresh(token);
    return found?.live && found.grant.clientId === clientId ? found.grant : undefined;
  }

  /** Revokes every access and refresh token of a grant; returns the access tokens revoked. */
  revokeGrant(grantId: string, reason: string): number {
    this.db
      .prepare(
        "UPDATE oidc_refresh_tokens SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL",
      )
      .run(this.now(), grantId);
    const jtis = this.db
      .prepare("SELECT jti FROM oidc_tokens WHERE grant_id = ? AND expires_at > ?")
      .all(grantId, this.now()) as { jti: string }[];
    let n = 0;
    for (const { jti } of jtis) if (this.tokens.revoke(jti, reason)) n++;
    return n;
  }

  /** Revokes every grant of a client (the client was deleted); returns access tokens revoked. */
  revokeClient(clientId: string, reason: string): number {
    const grants = this.db
      .prepare(
        "SELECT grant_id FROM oidc_tokens WHERE client_id = ? UNION SELECT grant_id FROM oidc_refresh_tokens WHERE client_id = ?",
      )
      .all(clientId, clientId) as { grant_id: string }[];
    let n = 0;
    for (const g of grants) n += this.revokeGrant(g.grant_id, reason);
    return n;
  }

  /** Drops metadata of tokens that expired a day ago. */
  prune(): void {
    const cutoff = this.now() - 86_400_000;
    this.db.prepare("DELETE FROM oidc_tokens WHERE expires_at < ?").run(cutoff);
    this.db.prepare("DELETE FROM oidc_refresh_tokens WHERE expires_at < ?").run(cutoff);
  }
}
