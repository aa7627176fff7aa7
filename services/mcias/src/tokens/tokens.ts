// Token issuance, validation and revocation. Every issued token is recorded by jti, so a
// revoked token is refused on the very next validate call. Revocations also append to a
// numbered feed (the revocation epoch) that clients long-poll to evict cached answers.
import { createHash, randomBytes } from "node:crypto";
import type { Account, AccountType, Role } from "../accounts/accounts.ts";
import type { Db } from "../db/open.ts";
import { signJws, verifyJws } from "./jws.ts";
import type { KeyRing } from "./keys.ts";
import { RevocationFeed, type RevocationPage } from "./revocation-feed.ts";

export type { RevocationPage };

export type TokenKind = "login" | "system";

const VERIFIED_CACHE_MAX = 50_000;

export interface IssuedToken {
  token: string;
  jti: string;
  expiresAt: number;
}

export interface TokenIdentity {
  username: string;
  accountId: string;
  accountType: AccountType;
  roles: Role[];
  tokenId: string;
  kind: TokenKind;
  audience: string;
  issuedAt: number;
  expiresAt: number;
  /** When the user last authenticated (ms); carried across renewals. */
  authTime: number;
  /** The OAuth client an OIDC access token was issued to; null for MCIAS's own tokens. */
  clientId: string | null;
}

export type ValidateResult =
  | { valid: true; identity: TokenIdentity }
  | { valid: false; reason: string };

interface ValidateRow {
  account_id: string;
  kind: TokenKind;
  revoked_at: number | null;
  expires_at: number;
  auth_time: number;
  username: string;
  type: AccountType;
  roles: string;
  status: string;
  client_id: string | null;
}

interface TokenRow {
  account_id: string;
  kind: TokenKind;
  revoked_at: number | null;
  expires_at: number;
}

export class TokenService {
  private readonly verified = new Map<string, Record<string, unknown>>();
  private readonly tokenStmt;
  private readonly validateStmt;
  readonly feed: RevocationFeed;

  constructor(
    private readonly db: Db,
    private readonly keys: KeyRing,
    private readonly issuer: string,
    private readonly now: () => number = Date.now,
    /** The OIDC discovery issuer: the `iss` of OAuth access tokens (absent without OIDC). */
    private readonly oauthIssuer?: string,
  ) {
    this.tokenStmt = db.prepare(
      "SELECT account_id, kind, revoked_at, expires_at FROM tokens WHERE jti = ?",
    );
    // The hot path: token state, the account's current identity and, for an OIDC access
    // token, its client, in one point lookup.
    this.validateStmt = db.prepare(
      `SELECT t.account_id, t.kind, t.revoked_at, t.expires_at,
              COALESCE(t.auth_time, t.issued_at) AS auth_time, a.username, a.type, a.roles, a.status,
              o.client_id
         FROM tokens t JOIN accounts a ON a.id = t.account_id
         LEFT JOIN oidc_tokens o ON o.jti = t.jti
        WHERE t.jti = ?`,
    );
    this.feed = new RevocationFeed(db);
  }

  /**
   * Signs and records a token. `authTime` is when the user last authenticated (ms); a renewal
   * passes the previous token's, everything else defaults to now. `oauth` marks an OIDC access
   * token: it carries the discovery issuer, and the caller records its grant (OidcGrants)
   * before handing it out.
   */
  issue(
    account: Account,
    kind: TokenKind,
    audience: string,
    ttlMs: number,
    opts: { authTime?: number; oauth?: boolean } = {},
  ): IssuedToken {
    if (opts.oauth && !this.oauthIssuer) throw new Error("OAuth tokens need the OIDC issuer");
    const jti = randomBytes(16).toString("base64url");
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + Math.floor(ttlMs / 1000);
    const { kid, key } = this.keys.signingKey();
    const token = signJws(
      { alg: "EdDSA", typ: "JWT", kid },
      {
        iss: opts.oauth ? this.oauthIssuer : this.issuer,
        sub: account.id,
        username: account.username,
        account_type: account.type,
        roles: account.roles,
        aud: audience,
        kind,
        iat,
        exp,
        jti,
      },
      key,
    );
    this.db
      .prepare(
        "INSERT INTO tokens (jti, account_id, kind, audience, issued_at, expires_at, auth_time) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(jti, account.id, kind, audience, iat * 1000, exp * 1000, opts.authTime ?? this.now());
    return { token, jti, expiresAt: exp * 1000 };
  }

  /**
   * Signature checks are the costly part of validation and their outcome never changes for a
   * given token, so verified payloads are remembered (keyed by SHA-256 of the token). Expiry,
   * revocation and the account state are still checked on every call.
   */
  private verifiedPayload(token: unknown): Record<string, unknown> | string {
    const key =
      typeof token === "string" && token.length <= 8192
        ? createHash("sha256").update(token).digest("base64url")
        : undefined;
    const hit = key ? this.verified.get(key) : undefined;
    if (hit) return hit;
    const r = verifyJws(token, (kid) => this.keys.verificationKey(kid));
    if (!r.ok) return r.reason;
    if (key) {
      if (this.verified.size >= VERIFIED_CACHE_MAX) this.verified.clear();
      this.verified.set(key, r.payload);
    }
    return r.payload;
  }

  validate(token: unknown): ValidateResult {
    const p = this.verifiedPayload(token);
    if (typeof p === "string") return { valid: false, reason: p };
    if (typeof p.jti !== "string" || typeof p.exp !== "number")
      return { valid: false, reason: "bad_claims" };
    if (p.nbf !== undefined && typeof p.nbf !== "number")
      return { valid: false, reason: "bad_claims" };
    const now = this.now();
    if (p.exp * 1000 <= now) return { valid: false, reason: "expired" };
    if (typeof p.nbf === "number" && p.nbf * 1000 > now)
      return { valid: false, reason: "not_yet_valid" };
    const row = this.validateStmt.get(p.jti) as ValidateRow | undefined;
    if (!row || row.account_id !== p.sub) return { valid: false, reason: "unknown_token" };
    // MCIAS's own tokens name MCIAS's issuer; OIDC access tokens the discovery issuer.
    if (p.iss !== (row.client_id === null ? this.issuer : this.oauthIssuer))
      return { valid: false, reason: "bad_claims" };
    if (row.revoked_at !== null) return { valid: false, reason: "revoked" };
    if (row.status !== "active") return { valid: false, reason: "account_inactive" };
    return {
      valid: true,
      identity: {
        username: row.username,
        accountId: row.account_id,
        accountType: row.type,
        roles: JSON.parse(row.roles) as Role[],
        tokenId: p.jti,
        kind: row.kind,
        audience: typeof p.aud === "string" ? p.aud : "",
        issuedAt: typeof p.iat === "number" ? p.iat * 1000 : 0,
        expiresAt: row.expires_at,
        authTime: row.auth_time,
        clientId: row.client_id,
      },
    };
  }

  /**
   * Validation on behalf of a service: besides being valid, the token must have been issued for
   * exactly that service (its login policy context; a system token's audience). Without a
   * service name this is plain validation.
   */
  validateFor(token: unknown, serviceName: string | undefined): ValidateResult {
    const r = this.validate(token);
    if (!r.valid || serviceName === undefined) return r;
    if (r.identity.audience !== serviceName) return { valid: false, reason: "wrong_audience" };
    return r;
  }

  /** Revokes one token; returns false if it was unknown or already revoked. */
  revoke(jti: string, reason: string): boolean {
    const changed = this.db.transaction(() => {
      const row = this.tokenStmt.get(jti) as TokenRow | undefined;
      if (!row || row.revoked_at !== null) return false;
      const ts = this.now();
      this.db
        .prepare("UPDATE tokens SET revoked_at = ?, revoke_reason = ? WHERE jti = ?")
        .run(ts, reason, jti);
      this.feed.appendRevoked(jti, ts, row.expires_at);
      return true;
    })();
    if (changed) this.feed.notify();
    return changed;
  }

  /** Revokes every live token of an account (disable, delete, password reset). */
  revokeAll(accountId: string, reason: string): number {
    const jtis = (
      this.db
        .prepare(
          "SELECT jti FROM tokens WHERE account_id = ? AND revoked_at IS NULL AND expires_at > ?",
        )
        .all(accountId, this.now()) as { jti: string }[]
    ).map((r) => r.jti);
    let n = 0;
    for (const jti of jtis) if (this.revoke(jti, reason)) n++;
    return n;
  }

  listFor(accountId: string): {
    jti: string;
    kind: TokenKind;
    audience: string;
    issuedAt: number;
    expiresAt: number;
    revokedAt: number | null;
  }[] {
    return (
      this.db
        .prepare(
          "SELECT jti, kind, audience, issued_at, expires_at, revoked_at FROM tokens WHERE account_id = ? ORDER BY issued_at DESC LIMIT 200",
        )
        .all(accountId) as {
        jti: string;
        kind: TokenKind;
        audience: string;
        issued_at: number;
        expires_at: number;
        revoked_at: number | null;
      }[]
    ).map((r) => ({
      jti: r.jti,
      kind: r.kind,
      audience: r.audience,
      issuedAt: r.issued_at,
      expiresAt: r.expires_at,
      revokedAt: r.revoked_at,
    }));
  }

  epoch(): number {
    return this.feed.epoch();
  }

  revocationsSince(since: number): RevocationPage {
    return this.feed.since(since);
  }

  /** Announces that an account's identity changed, so clients drop cached answers for its tokens. */
  announceChange(accountId: string): number {
    const n = this.db.transaction(() => this.feed.appendChanged(accountId, this.now()))();
    if (n > 0) this.feed.notify();
    return n;
  }

  waitForRevocations(since: number, waitMs: number, signal?: AbortSignal): Promise<RevocationPage> {
    return this.feed.wait(since, waitMs, signal);
  }

  /** Answers every pending long-poll at once (shutdown), so draining does not wait for them. */
  wakeAll(): void {
    this.feed.notify();
  }

  /**
   * Drops feed entries of tokens that expired anyway, and token rows a day after expiry (an
   * expired token is refused before its row is consulted; the audit log keeps the history).
   */
  prune(): void {
    const ts = this.now();
    this.feed.prune(ts);
    this.db.prepare("DELETE FROM tokens WHERE expires_at < ?").run(ts - 86_400_000);
  }
}
