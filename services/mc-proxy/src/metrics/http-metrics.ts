// The per-request L7 metrics (requests by route and status, latency histogram by route) on the
// hot path: prom-client re-validates and hashes the labels on every inc()/observe(), even through
// a labels() child, which costs about a microsecond per request. Here each route has a plain
// recorder (typed-array counters) and the registry reads them only when it is scraped. Exposed as
// metric objects the prom-client registry (and the cluster AggregatorRegistry) take as they are:
// the text and JSON output is the same as prom-client's Counter and Histogram.
import type { Metric, Registry } from "@metacircular/mcdsl/metrics";

export interface RouteRecorder {
  /** One answered request: its status and the seconds until the response head. */
  record(status: number, secs: number): void;
}

interface Value {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

interface Series extends RouteRecorder {
  route: string;
  /** Requests by status code (100..599). */
  byStatus: Float64Array;
  /** Observations per bucket (not cumulative); the last slot counts those above every bound. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

const STATUS_SLOTS = 600;

export class HttpMetrics {
  private readonly series = new Map<string, Series>();
  /** (route, status) pairs in the order they were first counted (prom-client's output order). */
  private readonly order: { s: Series; status: number }[] = [];

  constructor(
    registry: Registry,
    readonly requestsName: string,
    requestsHelp: string,
    readonly latencyName: string,
    latencyHelp: string,
    private readonly bounds: readonly number[],
  ) {
    const requests = {
      name: requestsName,
      help: requestsHelp,
      type: "counter",
      aggregator: "sum",
      get: async () => ({
        name: requestsName,
        help: requestsHelp,
        type: "counter",
        aggregator: "sum",
        values: this.requestValues(),
      }),
      reset: () => this.reset(),
    };
    const latency = {
      name: latencyName,
      help: latencyHelp,
      type: "histogram",
      aggregator: "sum",
      get: async () => ({
        name: latencyName,
        help: latencyHelp,
        type: "histogram",
        aggregator: "sum",
        values: this.latencyValues(),
      }),
      reset: () => this.reset(),
    };
    registry.registerMetric(requests as unknown as Metric);
    registry.registerMetric(latency as unknown as Metric);
  }

  /** The recorder of one route (keep it: the lookup is the only non-trivial step). */
  route(route: string): RouteRecorder {
    let s = this.series.get(route);
    if (s === undefined) {
      const bounds = this.bounds;
      const order = this.order;
      const series: Series = {
        route,
        byStatus: new Float64Array(STATUS_SLOTS),
        buckets: new Float64Array(bounds.length + 1),
        sum: 0,
        count: 0,
        record(status: number, secs: number): void {
          const st = status >= 0 && status < STATUS_SLOTS ? status : 0;
          const n = series.byStatus[st] as number;
          series.byStatus[st] = n + 1;
          if (n === 0) order.push({ s: series, status: st });
          let i = 0;
          while (i < bounds.length && secs > (bounds[i] as number)) i++;
          series.buckets[i] = (series.buckets[i] as number) + 1;
          series.sum += secs;
          series.count++;
        },
      };
      s = series;
      this.series.set(route, s);
    }
    return s;
  }

  private requestValues(): Value[] {
    return this.order.map(({ s, status }) => ({
      labels: { route: s.route, status },
      value: s.byStatus[status] as number,
    }));
  }

  private latencyValues(): Value[] {
    const out: Value[] = [];
    const bucket = `${this.latencyName}_bucket`;
    for (const s of this.series.values()) {
      if (s.count === 0) continue;
      let acc = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        acc += s.buckets[i] as number;
        const le = this.bounds[i] as number;
        out.push({ labels: { le, route: s.route }, value: acc, metricName: bucket });
      }
      out.push(
        { labels: { le: "+Inf", route: s.route }, value: s.count, metricName: bucket },
        { labels: { route: s.route }, value: s.sum, metricName: `${this.latencyName}_sum` },
        { labels: { route: s.route }, value: s.count, metricName: `${this.latencyName}_count` },
      );
    }
    return out;
  }

  private reset(): void {
    this.order.length = 0;
    for (const s of this.series.values()) {
      s.byStatus.fill(0);
      s.buckets.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }
}
