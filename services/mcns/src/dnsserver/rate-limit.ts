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
    return this.checkNetwork(networkOf(address), now);
  }

  /** Same as `check` for a client network key already derived (see networkOf*). */
  checkNetwork(key: string, now = Date.now()): RateDecision {
    if (this.perSecond <= 0) return "send";
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

const AF_INET = 2;
const AF_INET6 = 10;

/**
 * The networkOf key for a raw Linux sockaddr (sockaddr_in / sockaddr_in6, as recvmmsg returns
 * it): /24 for IPv4 and IPv4-mapped IPv6, /64 for IPv6. Avoids formatting the address string.
 */
export function networkOfSockaddr(sa: Uint8Array, off = 0): string {
  const family = sa[off]! | (sa[off + 1]! << 8);
  if (family === AF_INET) return `${sa[off + 4]}.${sa[off + 5]}.${sa[off + 6]}`;
  if (family !== AF_INET6) return "?";
  const a = off + 8;
  let mapped = sa[a + 10] === 0xff && sa[a + 11] === 0xff;
  for (let i = 0; i < 10 && mapped; i++) mapped = sa[a + i] === 0;
  if (mapped) return `${sa[a + 12]}.${sa[a + 13]}.${sa[a + 14]}`;
  const g = (i: number) => ((sa[a + i]! << 8) | sa[a + i + 1]!).toString(16);
  return `${g(0)}:${g(2)}:${g(4)}:${g(6)}`;
}
