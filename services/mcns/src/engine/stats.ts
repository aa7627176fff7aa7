// Plain counters on the query path (cheaper than prom-client label lookups per packet); the
// metrics module reads them at scrape time.

export class QueryStats {
  /** key: `${qtype}/${rcode}` */
  readonly byTypeRcode = new Map<string, number>();
  /** Upper bounds in seconds of the latency histogram. */
  readonly buckets = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];
  readonly bucketCounts = new Array<number>(this.buckets.length + 1).fill(0);
  latencySum = 0;
  latencyCount = 0;
  cacheHits = 0;
  cacheMisses = 0;
  forwardCacheHits = 0;
  forwardCacheMisses = 0;
  staleServed = 0;
  rateLimited = 0;
  malformed = 0;

  count(qtype: number, rcode: number): void {
    const k = `${qtype}/${rcode}`;
    this.byTypeRcode.set(k, (this.byTypeRcode.get(k) ?? 0) + 1);
  }

  observe(seconds: number): void {
    let i = 0;
    while (i < this.buckets.length && seconds > this.buckets[i]!) i++;
    this.bucketCounts[i]!++;
    this.latencySum += seconds;
    this.latencyCount++;
  }
}
