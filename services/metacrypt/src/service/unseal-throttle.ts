// Guessing the unseal secret is slowed by Argon2id and limited here: failed attempts are counted
// per source (the client address; gRPC callers share one source) and globally over a sliding
// window. Past either limit every attempt from that source (or from anyone, for the global
// limit) is refused with 429 `unseal_throttled` and a Retry-After until the window has moved on,
// before any key derivation. A success clears its source. State is in memory: a restart forgets.
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
    const full =
      mine.length >= this.limits.perSource
        ? mine
        : this.all.length >= this.limits.global
          ? this.all
          : undefined;
    if (!full) return;
    const wait = Math.max(1, Math.ceil((full[0]! + this.limits.windowMs - this.now()) / 1000));
    throw new AppError(429, "unseal_throttled", "too many failed unseal attempts; wait and retry", {
      retryAfter: wait,
    });
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
