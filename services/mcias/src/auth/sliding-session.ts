// Sliding renewal of browser sessions backed by MCIAS login tokens (the web UI's cookie and the
// OIDC provider's browser session). While the browser keeps using a session, its token is
// replaced once less than half of its lifetime is left, but never beyond `maxAgeMs` after the
// user actually signed in (the renewed token keeps that sign-in time). An abandoned session
// therefore ends with its token; an active one lasts until the absolute limit.
//
// The replaced token is revoked as soon as the browser presents its successor, not when the
// successor is issued: requests already in flight with the old cookie still succeed, and
// concurrent requests that all see the old token share one successor instead of minting several.
// Each successor is issued by the one renewal use case, issueSuccessor (src/auth/renewal.ts).
// The bookkeeping is in memory; after a restart a replaced token simply runs out by itself.
import type { Core } from "../app.ts";
import type { IssuedToken, TokenIdentity } from "../tokens/tokens.ts";
import { issueSuccessor, type Via } from "./renewal.ts";

export interface SlidingOptions {
  /** The token audience of this kind of session. */
  audience: string;
  /** Lifetime of each token of the session. */
  ttlMs: number;
  /** Absolute limit after the sign-in. */
  maxAgeMs: number;
  /** Audit detail: which kind of session was renewed. */
  via: Via;
}

export class SlidingSessions {
  /** Old jti → the token that replaces it. */
  private readonly successors = new Map<string, IssuedToken>();
  /** New jti → the jti it replaced (revoked once the new one is used). */
  private readonly predecessors = new Map<string, string>();

  constructor(
    private readonly core: Core,
    private readonly opts: SlidingOptions,
  ) {}

  /**
   * Called with the validated identity behind a session cookie. Returns the token to set as the
   * new cookie when the session was renewed, undefined when the current one stays.
   */
  touch(id: TokenIdentity): IssuedToken | undefined {
    const now = this.core.now();
    this.retirePredecessor(id.tokenId);
    const remaining = id.expiresAt - now;
    if (remaining > this.opts.ttlMs / 2) return undefined;
    const pending = this.successors.get(id.tokenId);
    if (pending) return pending;
    const ttl = Math.min(this.opts.ttlMs, id.authTime + this.opts.maxAgeMs - now);
    if (ttl <= remaining + 1000) return undefined;
    if (this.core.accounts.byId(id.accountId)?.status !== "active") return undefined;
    const issued = issueSuccessor(this.core, id, this.opts.via, {
      audience: this.opts.audience,
      ttlMs: ttl,
    });
    this.prune(now);
    this.successors.set(id.tokenId, issued);
    this.predecessors.set(issued.jti, id.tokenId);
    return issued;
  }

  /** Revokes a session's token and the one it replaced, if that is still live (sign-out). */
  end(id: TokenIdentity, reason: string): void {
    this.retirePredecessor(id.tokenId, reason);
    const pending = this.successors.get(id.tokenId);
    if (pending) {
      this.successors.delete(id.tokenId);
      this.predecessors.delete(pending.jti);
      this.core.tokens.revoke(pending.jti, reason);
    }
    this.core.tokens.revoke(id.tokenId, reason);
  }

  private retirePredecessor(jti: string, reason = "renewed"): void {
    const old = this.predecessors.get(jti);
    if (old === undefined) return;
    this.predecessors.delete(jti);
    this.successors.delete(old);
    this.core.tokens.revoke(old, reason);
  }

  /** Forgets pairs whose tokens have both run out. */
  private prune(now: number): void {
    for (const [old, next] of this.successors)
      if (next.expiresAt <= now) {
        this.successors.delete(old);
        this.predecessors.delete(next.jti);
      }
  }
}
