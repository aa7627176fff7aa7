// Guessing the unseal secret is slowed by Argon2id and limited here: failed attempts are counted
// per source (the client address; gRPC callers share one source) and globally over a sliding
// window. Past either limit every attempt from that source (or from anyone, for the global
// limit) is refused with 429 `unseal_throttled` and a Retry-After until the window has moved on,
// before any key derivation. A success clears its source. State is in memory: a restart forgets.
// Attempts still under way count as failures until they end (begin/finish): the barrier derives
// keys one attempt at a time, so without that a burst of concurrent requests would all pass the
// check before the first of them had failed.
import { AppError } from "@metacircular/mcdsl/errors";

export interface ThrottleLimits {
  windowMs: number;
  perSource: number;
  global: number;
}

export const UNSEAL_LIMITS: ThrottleLimits = { windowMs: 60_000, perSource: 5, global: 20 };
const MAX_SOURCES = 10_000;

export class UnsealThrottle {
  private readonly bySource = new Map<string, number[]>();
  private all: number[] = [];
  /** Attempts begun and not yet finished, per source and in all. */
  private readonly pending = new Map<string, number>();
  private pendingAll = 0;

  constructor(
    private readonly limits: ThrottleLimits = UNSEAL_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(times: number[]): number[] {
    const from = this.now() - this.limits.windowMs;
    return times.filter((t) => t > from);
  }

  /** Throws `unseal_throttled` when this source, or everyone, has failed too often lately. */
  check(source: string): void {
    this.all = this.recent(this.all);
    const mine = this.recent(this.bySource.get(source) ?? []);
    const minePending = this.pending.get(source) ?? 0;
    const full =
      mine.length + minePending >= this.limits.perSource
        ? mine
        : this.all.length + this.pendingAll >= this.limits.global
          ? this.all
          : undefined;
    if (!full) return;
    // Full of attempts under way only: they end within a key derivation or so each.
    const first = full[0];
    const wait =
      first === undefined
        ? 1
        : Math.max(1, Math.ceil((first + this.limits.windowMs - this.now()) / 1000));
    throw new AppError(429, "unseal_throttled", "too many failed unseal attempts; wait and retry", {
      retryAfter: wait,
    });
  }

  /** check(), then counts the attempt as under way until finish(). */
  begin(source: string): void {
    this.check(source);
    this.pending.set(source, (this.pending.get(source) ?? 0) + 1);
    this.pendingAll++;
  }

  /** Ends an attempt begun with begin(): a failure is counted, a success clears its source. */
  finish(source: string, outcome: "failed" | "succeeded" | "neither"): void {
    const n = (this.pending.get(source) ?? 1) - 1;
    if (n > 0) this.pending.set(source, n);
    else this.pending.delete(source);
    this.pendingAll = Math.max(0, this.pendingAll - 1);
    if (outcome === "failed") this.failed(source);
    if (outcome === "succeeded") this.succeeded(source);
  }

  failed(source: string): void {
    const t = this.now();
    this.all.push(t);
    if (!this.bySource.has(source) && this.bySource.size >= MAX_SOURCES) this.bySource.clear();
    this.bySource.set(source, [...this.recent(this.bySource.get(source) ?? []), t]);
  }

  succeeded(source: string): void {
    this.bySource.delete(source);
  }
}
