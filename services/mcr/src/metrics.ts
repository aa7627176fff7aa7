// Prometheus metrics: /v2 requests by route kind, method and status; bytes in and out; GC.
import { Counter, createRegistry, type Registry } from "@metacircular/mcdsl/metrics";

export interface RegistryMetrics {
  registry: Registry;
  requests: Counter<"route" | "method" | "status">;
  bytesReceived: Counter;
  bytesServed: Counter;
  gcRuns: Counter;
  gcBytes: Counter;
}

export function createMetrics(): RegistryMetrics {
  const registry = createRegistry({ prefix: "mcr_" });
  const reg = [registry];
  return {
    registry,
    requests: new Counter({
      name: "mcr_v2_requests_total",
      help: "Distribution API requests by route kind, method and status",
      labelNames: ["route", "method", "status"] as const,
      registers: reg,
    }),
    bytesReceived: new Counter({
      name: "mcr_blob_bytes_received_total",
      help: "Blob upload bytes written to the store",
      registers: reg,
    }),
    bytesServed: new Counter({
      name: "mcr_blob_bytes_served_total",
      help: "Blob bytes sent to clients",
      registers: reg,
    }),
    gcRuns: new Counter({
      name: "mcr_gc_runs_total",
      help: "Garbage collections run",
      registers: reg,
    }),
    gcBytes: new Counter({
      name: "mcr_gc_bytes_freed_total",
      help: "Blob bytes removed by garbage collection",
      registers: reg,
    }),
  };
}
