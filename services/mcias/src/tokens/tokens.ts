// Token issuance, validation and revocation. Every issued token is recorded by jti, so a
// revoked token is refused on the very next validate call. Revocations also append to a
// numbered feed (the revocation epoch) that clients long-poll to evict cached answers.
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import type { Account, AccountStore, AccountType, Role } from "../accounts/accounts.ts";
import type { Db } from "../db/open.ts";
import { verifyJws, signJws } from "./jws.ts";
import type { KeyRing } from "./keys.ts";

export type TokenKind = "login" | "system";

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
}

export type ValidateResult =
  | { valid: true; identity: TokenIdentity }
  | { valid: false; reason: string };

export interface RevocationPage {
  epoch: number;
  revoked: string[];
  /** True when the caller's `since` is older than the retained feed: drop the whole cache. */
  reset: boolean;
}

interface TokenRow {
  account_id: string;
  kind: TokenKind;
  revoked_at: number | null;
  expires_at: number;
}

export class TokenService {
  private readonly events = new EventEmitter();
  private readonly tokenStmt;

  constructor(
    private readonly db: Db,
    private readonly keys: KeyRing,
    private readonly accounts: AccountStore,
    private readonly issuer: string,
    private readonly now: () => number = Date.now,
  ) {
    this.events.setMaxListeners(0);
    this.tokenStmt = db.prepare(
      "SELECT account_id, kind, revoked_at, expires_at FROM tokens WHERE jti = ?",
    );
  }

  issue(account: Account, kind: TokenKind, audience: string, ttlMs: number): IssuedToken {
    const jti = randomBytes(16).toString("base64url");
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + Math.floor(ttlMs / 1000);
    const { kid, key } = this.keys.signingKey();
    const token = signJws(
      { alg: "EdDSA", typ: "JWT", kid },
      {
        iss: this.issuer,
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
        "INSERT INTO tokens (jti, account_id, kind, audience, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(jti, account.id, kind, audience, iat * 1000, exp * 1000);
    return { token, jti, expiresAt: exp * 1000 };
  }

  validate(token: unknown): ValidateResult {
    const r = verifyJws(token, (kid) => this.keys.verificationKey(kid));
    if (!r.ok) return { valid: false, reason: r.reason };
    const p = r.payload;
    if (p.iss !== this.issuer || typeof p.jti !== "string" || typeof p.exp !== "number")
      return { valid: false, reason: "bad_claims" };
    if (p.exp * 1000 <= this.now()) return { valid: false, reason: "expired" };
    const row = this.tokenStmt.get(p.jti) as TokenRow | undefined;
    if (!row || row.account_id !== p.sub) return { valid: false, reason: "unknown_token" };
    if (row.revoked_at !== null) return { valid: false, reason: "revoked" };
    const account = this.accounts.byId(row.account_id);
    if (!account || account.status !== "active") return { valid: false, reason: "account_inactive" };
    return {
      valid: true,
      identity: {
        username: account.username,
        accountId: account.id,
        accountType: account.type,
        roles: account.roles,
        tokenId: p.jti,
        kind: row.kind,
        audience: typeof p.aud === "string" ? p.aud : "",
        issuedAt: typeof p.iat === "number" ? p.iat * 1000 : 0,
        expiresAt: row.expires_at,
      },
    };
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
      this.db
        .prepare("INSERT INTO revocations (jti, revoked_at, expires_at) VALUES (?, ?, ?)")
        .run(jti, ts, row.expires_at);
      return true;
    })();
    if (changed) this.events.emit("revoked");
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
    const r = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'revocations'").get() as
      | { seq: number }
      | undefined;
    return r?.seq ?? 0;
  }

  revocationsSince(since: number): RevocationPage {
    const epoch = this.epoch();
    if (since < 0 || since > epoch) return { epoch, revoked: [], reset: since > epoch };
    const oldest = this.db.prepare("SELECT MIN(seq) AS m FROM revocations").get() as {
      m: number | null;
    };
    const reset = since < epoch && (oldest.m === null || oldest.m > since + 1);
    const revoked = (
      this.db
        .prepare("SELECT jti FROM revocations WHERE seq > ? ORDER BY seq LIMIT 10000")
        .all(since) as { jti: string }[]
    ).map((r) => r.jti);
    return { epoch, revoked, reset };
  }

  /** Long-poll: resolves as soon as the epoch passes `since`, or after `waitMs`. */
  async waitForRevocations(since: number, waitMs: number, signal?: AbortSignal): Promise<RevocationPage> {
    if (since < 0 || this.epoch() !== since || waitMs <= 0) return this.revocationsSince(since);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.events.off("revoked", done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      this.events.on("revoked", done);
      signal?.addEventListener("abort", done);
    });
    return this.revocationsSince(since);
  }

  /** Drops feed entries and token rows whose tokens have expired anyway. */
  prune(): void {
    const ts = this.now();
    this.db.prepare("DELETE FROM revocations WHERE expires_at < ?").run(ts);
  }
}
