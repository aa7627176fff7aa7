// Brute-force protection without permanent lockout.
// Per account (keyed by the normalised username, known or not, so answers do not reveal
// which names exist): the first `free_failures` failures cost nothing, then every further
// failure blocks the name for a delay that doubles from `base_delay_s` up to `max_delay_s`.
// Counters decay after a day without failures. Per source IP: at most `ip_failures_per_min`
// failures in any sliding minute (in memory).
import type { Db } from "../db/open.ts";
import { stmt } from "../db/statements.ts";

export interface ThrottleConfig {
  free_failures: number;
  base_delay_s: number;
  max_delay_s: number;
  ip_failures_per_min: number;
}

/** An attempt whose peer address is unknown (gRPC): only the per-account limit applies. */
export const UNKNOWN_PEER = "";
const DECAY_MS = 24 * 3600 * 1000;
const WINDOW_MS = 60_000;

interface Row {
  failures: number;
  last_failure_at: number;
  blocked_until: number;
}

export class LoginThrottle {
  private readonly ipFailures = new Map<string, number[]>();
  private readonly inflightIp = new Map<string, number>();
  private readonly inflightUser = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly cfg: ThrottleConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds the caller must wait before a password attempt is considered, or 0. */
  retryAfter(username: string, ip: string): number {
    const ts = this.now();
    let wait = 0;
    const row = this.row(username);
    if (row && row.blocked_until > ts) wait = Math.ceil((row.blocked_until - ts) / 1000);
    const hits = this.recentIp(ip, ts);
    if (hits.length >= this.cfg.ip_failures_per_min)
      wait = Math.max(wait, Math.ceil((hits[0]! + WINDOW_MS - ts) / 1000));
    // Attempts still being verified count as potential failures, so concurrency cannot be
    // used to slip more guesses past the limits.
    if (wait === 0 && hits.length + (this.inflightIp.get(ip) ?? 0) >= this.cfg.ip_failures_per_min)
      wait = 1;
    const pendingUser = this.inflightUser.get(username) ?? 0;
    if (
      wait === 0 &&
      pendingUser > 0 &&
      (row?.failures ?? 0) + pendingUser >= this.cfg.free_failures
    )
      wait = 1;
    return wait;
  }

  /**
   * Checks the limits and registers an attempt in flight; returns the seconds to wait (and
   * registers nothing) or 0 and a release function to call when the attempt is decided.
   */
  begin(username: string, ip: string): { wait: number; release: () => void } {
    const wait = this.retryAfter(username, ip);
    if (wait > 0) return { wait, release: () => undefined };
    const bump = (m: Map<string, number>, k: string, d: number) => {
      const v = (m.get(k) ?? 0) + d;
      if (v <= 0) m.delete(k);
      else m.set(k, v);
    };
    bump(this.inflightIp, ip, 1);
    bump(this.inflightUser, username, 1);
    let released = false;
    return {
      wait: 0,
      release: () => {
        if (released) return;
        released = true;
        bump(this.inflightIp, ip, -1);
        bump(this.inflightUser, username, -1);
      },
    };
  }

  recordFailure(username: string, ip: string): void {
    const ts = this.now();
    if (ip !== UNKNOWN_PEER) {
      const hits = this.recentIp(ip, ts);
      hits.push(ts);
      this.ipFailures.set(ip, hits);
      if (this.ipFailures.size > 100_000) this.sweep(ts);
    }

    const prev = this.row(username);
    const failures = (prev && ts - prev.last_failure_at < DECAY_MS ? prev.failures : 0) + 1;
    const over = failures - this.cfg.free_failures;
    const delayS =
      over > 0
        ? Math.min(this.cfg.base_delay_s * 2 ** Math.min(over - 1, 30), this.cfg.max_delay_s)
        : 0;
    stmt(
      this.db,
      `INSERT INTO login_throttle (username, failures, last_failure_at, blocked_until) VALUES (?, ?, ?, ?)
         ON CONFLICT(username) DO UPDATE SET failures = excluded.failures,
           last_failure_at = excluded.last_failure_at, blocked_until = excluded.blocked_until`,
    ).run(username, failures, ts, ts + delayS * 1000);
  }

  recordSuccess(username: string): void {
    this.unlock(username);
  }

  /** Clears the account counter at once (mciasctl account unlock). */
  unlock(username: string): boolean {
    return stmt(this.db, "DELETE FROM login_throttle WHERE username = ?").run(username).changes > 0;
  }

  /** Drops counters that have decayed and no longer block (names sprayed once, old failures). */
  prune(): number {
    const ts = this.now();
    return this.db
      .prepare("DELETE FROM login_throttle WHERE last_failure_at < ? AND blocked_until < ?")
      .run(ts - DECAY_MS, ts).changes;
  }

  failures(username: string): number {
    return this.row(username)?.failures ?? 0;
  }

  private row(username: string): Row | undefined {
    return stmt(
      this.db,
      "SELECT failures, last_failure_at, blocked_until FROM login_throttle WHERE username = ?",
    ).get(username) as Row | undefined;
  }

  private recentIp(ip: string, ts: number): number[] {
    if (ip === UNKNOWN_PEER) return [];
    const hits = this.ipFailures.get(ip);
    if (!hits) return [];
    while (hits.length && hits[0]! <= ts - WINDOW_MS) hits.shift();
    if (!hits.length) this.ipFailures.delete(ip);
    return hits;
  }

  private sweep(ts: number): void {
    for (const ip of [...this.ipFailures.keys()]) this.recentIp(ip, ts);
  }
}
