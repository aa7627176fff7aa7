// The revocation feed: a numbered log of revoked (and identity-changed) token ids. Its head
// is the revocation epoch; caching clients long-poll it to evict stale answers quickly.
import { EventEmitter } from "node:events";
import type { Db } from "../db/open.ts";

const FEED_PAGE = 10_000;

export interface RevocationPage {
  epoch: number;
  revoked: string[];
  /** Token ids whose identity changed (roles): still valid, but cached answers are stale. */
  changed: string[];
  /** True when the caller's `since` is older than the retained feed: drop the whole cache. */
  reset: boolean;
}

export class RevocationFeed {
  private readonly events = new EventEmitter();
  /** Only this process writes the feed, so the epoch is kept in memory. */
  private current: number;

  constructor(private readonly db: Db) {
    this.events.setMaxListeners(0);
    this.current = this.read();
  }

  private read(): number {
    const r = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'revocations'").get() as
      | { seq: number }
      | undefined;
    return r?.seq ?? 0;
  }

  epoch(): number {
    return this.current;
  }

  /** Records a revoked token; call inside the revoking transaction, then notify(). */
  appendRevoked(jti: string, revokedAt: number, expiresAt: number): void {
    this.db
      .prepare("INSERT INTO revocations (jti, revoked_at, expires_at) VALUES (?, ?, ?)")
      .run(jti, revokedAt, expiresAt);
    this.current = this.read();
  }

  /** Records every live token of an account as changed; returns how many. */
  appendChanged(accountId: string, at: number): number {
    const r = this.db
      .prepare(
        `INSERT INTO revocations (jti, revoked_at, expires_at, kind)
         SELECT jti, ?, expires_at, 'changed' FROM tokens
         WHERE account_id = ? AND revoked_at IS NULL AND expires_at > ?`,
      )
      .run(at, accountId, at);
    this.current = this.read();
    return r.changes;
  }

  /** Wakes long-polls (after a commit, or at shutdown so draining does not wait for them). */
  notify(): void {
    this.events.emit("changed");
  }

  since(since: number): RevocationPage {
    const epoch = this.current;
    if (since < 0 || since > epoch)
      return { epoch, revoked: [], changed: [], reset: since > epoch };
    const oldest = this.db.prepare("SELECT MIN(seq) AS m FROM revocations").get() as {
      m: number | null;
    };
    const reset = since < epoch && (oldest.m === null || oldest.m > since + 1);
    const rows = this.db
      .prepare(
        `SELECT seq, jti, kind FROM revocations WHERE seq > ? ORDER BY seq LIMIT ${FEED_PAGE}`,
      )
      .all(since) as { seq: number; jti: string; kind: "revoked" | "changed" }[];
    // A full page ends at its last row; the caller asks again from there.
    const upTo = rows.length === FEED_PAGE ? rows.at(-1)!.seq : epoch;
    return {
      epoch: upTo,
      revoked: rows.filter((r) => r.kind === "revoked").map((r) => r.jti),
      changed: rows.filter((r) => r.kind === "changed").map((r) => r.jti),
      reset,
    };
  }

  /** Long-poll: resolves as soon as the epoch passes `since`, or after `waitMs`. */
  async wait(since: number, waitMs: number, signal?: AbortSignal): Promise<RevocationPage> {
    if (since < 0 || this.current !== since || waitMs <= 0) return this.since(since);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.events.off("changed", done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      this.events.on("changed", done);
      signal?.addEventListener("abort", done);
    });
    return this.since(since);
  }

  /** Drops entries for tokens that have expired anyway. */
  prune(now: number): void {
    this.db.prepare("DELETE FROM revocations WHERE expires_at < ?").run(now);
  }
}
