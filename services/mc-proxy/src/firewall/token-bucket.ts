// Per-key token buckets (one per client IP) with lazy refill and periodic eviction of idle keys.

export interface RateSpec {
  /** tokens added per second */
  rate: number;
  /** bucket capacity */
  burst: number;
}

interface Bucket {
  tokens: number;
  last: number;
}

export class KeyedTokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private sweeps = 0;

  constructor(
    private spec: RateSpec,
    private readonly now: () => number = () => performance.now(),
  ) {}

  setSpec(spec: RateSpec): void {
    this.spec = spec;
  }

  /** Take one token for `key`; false when the bucket is empty. */
  take(key: string): boolean {
    const t = this.now();
    let b = this.buckets.get(key);
    if (b === undefined) {
      if (++this.sweeps >= 4096) this.sweep(t);
      b = { tokens: this.spec.burst, last: t };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(this.spec.burst, b.tokens + ((t - b.last) / 1000) * this.spec.rate);
      b.last = t;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Drop buckets that would be full again (idle long enough to carry no state). */
  private sweep(t: number): void {
    this.sweeps = 0;
    const fullAfterMs = (this.spec.burst / Math.max(this.spec.rate, 1e-9)) * 1000;
    for (const [k, b] of this.buckets) if (t - b.last > fullAfterMs) this.buckets.delete(k);
  }
}
