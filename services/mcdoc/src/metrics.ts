// Prometheus metrics: refreshes (by repository and result) and their duration, webhooks by
// result, responses served from a prepared snapshot (200 or 304), and the size of each site.
import {
  Counter,
  createRegistry,
  Gauge,
  Histogram,
  type Registry,
} from "@metacircular/mcdsl/metrics";

export interface McdocMetrics {
  registry: Registry;
  refreshes: Counter<"repo" | "result">;
  refreshSeconds: Histogram<"repo">;
  webhooks: Counter<"result">;
  served: Counter<"status">;
  pages: Gauge<"repo">;
  brokenLinks: Gauge<"repo">;
}

export function createMetrics(): McdocMetrics {
  const registry = createRegistry({ prefix: "mcdoc_" });
  const r = [registry];
  return {
    registry,
    refreshes: new Counter({
      name: "mcdoc_refreshes_total",
      help: "Repository refreshes by result (rendered, unchanged, failed)",
      labelNames: ["repo", "result"],
      registers: r,
    }),
    refreshSeconds: new Histogram({
      name: "mcdoc_refresh_seconds",
      help: "Time from the start of a refresh (fetch) to the swap of the new snapshot",
      labelNames: ["repo"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 120],
      registers: r,
    }),
    webhooks: new Counter({
      name: "mcdoc_webhooks_total",
      help: "Webhook deliveries by result (queued, ignored, unknown_repo, refused)",
      labelNames: ["result"],
      registers: r,
    }),
    served: new Counter({
      name: "mcdoc_prepared_responses_total",
      help: "Pages and images answered from a snapshot, by status (200, 304)",
      labelNames: ["status"],
      registers: r,
    }),
    pages: new Gauge({
      name: "mcdoc_pages",
      help: "Markdown pages in the snapshot being served",
      labelNames: ["repo"],
      registers: r,
    }),
    brokenLinks: new Gauge({
      name: "mcdoc_broken_links",
      help: "Broken internal links in the snapshot being served",
      labelNames: ["repo"],
      registers: r,
    }),
  };
}
