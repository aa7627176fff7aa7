// Prometheus metrics (prom-client). Query-path counters are plain numbers in QueryStats that are
// copied into the registry at scrape time, so the hot path pays no label lookups.

import {
  Counter,
  createRegistry,
  Gauge,
  Histogram,
  type Registry,
} from "@metacircular/mcdsl/metrics";
import { RCODE_NAMES, typeName } from "./dns/constants.ts";
import type { Responder } from "./engine/responder.ts";
import type { UpstreamForwarder } from "./forward/forwarder.ts";

export function createMetrics(responder: Responder, forwarder?: UpstreamForwarder): Registry {
  const reg = createRegistry({ prefix: "mcns_" });
  const s = responder.stats;
  new Counter({
    name: "mcns_dns_queries_total",
    help: "DNS queries answered, by query type and response code",
    labelNames: ["qtype", "rcode"],
    registers: [reg],
    collect() {
      this.reset();
      for (const [k, v] of s.byTypeRcode) {
        const [t, r] = k.split("/").map(Number) as [number, number];
        this.inc({ qtype: typeName(t), rcode: RCODE_NAMES[r] ?? String(r) }, v);
      }
    },
  });
  const simple = (name: string, help: string, get: () => number) =>
    new Gauge({
      name,
      help,
      registers: [reg],
      collect() {
        this.set(get());
      },
    });
  simple("mcns_answer_cache_hits", "Authoritative answers served pre-encoded", () => s.cacheHits);
  simple("mcns_answer_cache_misses", "Authoritative answers built on demand", () => s.cacheMisses);
  simple("mcns_answer_cache_entries", "Pre-encoded answers held", () => responder.cache.size);
  simple(
    "mcns_forward_cache_hits",
    "Forwarded queries answered from cache",
    () => s.forwardCacheHits,
  );
  simple(
    "mcns_forward_cache_misses",
    "Forwarded queries sent upstream",
    () => s.forwardCacheMisses,
  );
  simple(
    "mcns_forward_stale_served",
    "Stale answers served while upstreams failed",
    () => s.staleServed,
  );
  simple("mcns_forward_cache_entries", "Forward cache entries", () => forwarder?.cache.size ?? 0);
  simple("mcns_rate_limited", "Responses dropped or slipped by RRL", () => s.rateLimited);
  simple("mcns_malformed_queries", "Malformed or unanswerable packets", () => s.malformed);
  const latency = new Histogram({
    name: "mcns_forward_latency_seconds",
    help: "Latency of forwarded queries (upstream round trip or cache)",
    buckets: s.buckets,
    registers: [reg],
  });
  s.latencyHook = (sec) => latency.observe(sec);
  return reg;
}
