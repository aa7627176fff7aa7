// Plain counters on the query path (cheaper than prom-client label lookups per packet); the
// metrics module reads them at scrape time.

export class QueryStats {
  /** Counts for qtype < 256 in a flat array (index qtype * 32 + rcode); others in `rare`. */
  private readonly common = new Float64Array(256 * 32);
  private readonly rare = new Map<string, number>();
  /** Upper bounds in seconds of the latency histogram. */
  readonly buckets = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];
  latencyHook: ((seconds: number) => void) | undefined;
  cacheHits = 0;
  cacheMisses = 0;
  forwardCacheHits = 0;
  forwardCacheMisses = 0;
  staleServed = 0;
  rateLimited = 0;
  malformed = 0;

  count(qtype: number, rcode: number): void {
    if (qtype < 256 && rcode < 32) {
      this.common[qtype * 32 + rcode]!++;
      return;
    }
    const k = `${qtype}/${rcode}`;
    this.rare.set(k, (this.rare.get(k) ?? 0) + 1);
  }

  /** `${qtype}/${rcode}` → count, for the metrics scrape. */
  get byTypeRcode(): Map<string, number> {
    const out = new Map(this.rare);
    for (let i = 0; i < this.common.length; i++) {
      const v = this.common[i]!;
      if (v > 0) out.set(`${Math.floor(i / 32)}/${i % 32}`, v);
    }
    return out;
  }

  observe(seconds: number): void {
    this.latencyHook?.(seconds);
  }
}
