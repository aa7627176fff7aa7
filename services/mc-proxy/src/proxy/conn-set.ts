// The open connections of the lean HTTP/1.1 and HTTP/2 fronts, with their idle timeout on one
// shared timer: connections note when they went idle, and a sweep every `tickMs` closes those idle for
// `idleMs` or more. This replaces a socket timer per connection, which node:net refreshes on
// every read and write.

/**
 * A coarse clock (performance.now() ms) for noting activity without reading the clock on every
 * event: advanced by every sweep, so it lags the real clock by at most one tick.
 */
export const coarseClock = { now: performance.now() };

/** Idle time after which a kept-alive client connection (HTTP/1.1 or HTTP/2) is closed. */
export const KEEPALIVE_MS = 30_000;

export interface Sweepable {
  /** Close the connection if it has been idle since before `deadline` (performance.now() ms). */
  sweep(deadline: number): void;
}

export class ConnSet<T extends Sweepable> extends Set<T> {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly idleMs: number,
    private readonly tickMs = 1000,
  ) {
    super();
  }

  override add(c: T): this {
    super.add(c);
    if (this.timer === null && this.idleMs > 0) {
      coarseClock.now = performance.now();
      this.timer = setInterval(() => this.sweepNow(performance.now()), this.tickMs);
      this.timer.unref();
    }
    return this;
  }

  override delete(c: T): boolean {
    const had = super.delete(c);
    if (this.size === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
    return had;
  }

  /** One sweep as of `now` (the timer calls this; tests call it with their own clock). */
  sweepNow(now: number): void {
    coarseClock.now = now;
    // Activity is noted with the coarse clock, which may lag by a tick: never close early.
    const deadline = now - this.idleMs - this.tickMs;
    for (const c of this) c.sweep(deadline);
  }
}
