// Response rate limiting against reflection/amplification (in the spirit of BIND/NSD RRL): a
// token bucket per client network (/24 for IPv4, /64 for IPv6). Over the limit, every `slip`-th
// response is sent truncated (so real clients retry over TCP) and the rest are dropped.

export type RateDecision = "send" | "slip" | "drop";

interface Bucket {
  tokens: number;
  last: number;
  over: number;
}

export class ResponseRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly perSecond: number,
    private readonly slip = 2,
    private readonly maxBuckets = 100_000,
  ) {}

  get enabled(): boolean {
    return this.perSecond > 0;
  }

  check(address: string, now = Date.now()): RateDecision {
    if (this.perSecond <= 0) return "send";
    const key = networkOf(address);
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxBuckets) this.buckets.clear();
      b = { tokens: this.perSecond, last: now, over: 0 };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.perSecond, b.tokens + ((now - b.last) / 1000) * this.perSecond);
    b.last = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return "send";
    }
    b.over++;
    return this.slip > 0 && b.over % this.slip === 0 ? "slip" : "drop";
  }
}

export function networkOf(address: string): string {
  if (address.includes(":")) {
    const v4 = /::ffff:(\d+\.\d+\.\d+)\.\d+$/i.exec(address);
    if (v4) return v4[1]!;
    return address.split(":").slice(0, 4).join(":");
  }
  return address.slice(0, address.lastIndexOf("."));
}
