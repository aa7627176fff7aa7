// Prometheus metrics. In cluster mode each worker keeps its own registry and the primary
// aggregates them (prom-client's AggregatorRegistry) when /metrics is scraped.
import { Counter, Gauge, Registry } from "@metacircular/mcdsl/metrics";
import { HttpMetrics } from "./http-metrics.ts";

export function createMetrics(registry = new Registry()) {
  const connections = new Counter({
    name: "mcproxy_connections_total",
    help: "Accepted TCP connections by listener and outcome",
    labelNames: ["listener", "outcome"],
    registers: [registry],
  });
  const active = new Gauge({
    name: "mcproxy_active_connections",
    help: "Open client connections",
    labelNames: ["listener"],
    registers: [registry],
  });
  const firewallDrops = new Counter({
    name: "mcproxy_firewall_drops_total",
    help: "Connections and requests refused by the firewall",
    labelNames: ["reason"],
    registers: [registry],
  });
  const bytes = new Counter({
    name: "mcproxy_l4_bytes_total",
    help: "Bytes spliced by L4 routes (counted when the connection closes)",
    labelNames: ["route", "direction"],
    registers: [registry],
  });
  // L7 requests and latency: recorded per route without prom-client's per-call label hashing.
  const http = new HttpMetrics(
    registry,
    "mcproxy_http_requests_total",
    "L7 requests by route and status",
    "mcproxy_http_request_duration_seconds",
    "L7 time to response headers",
    [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
  );
  const tlsErrors = new Counter({
    name: "mcproxy_tls_handshake_errors_total",
    help: "Failed TLS handshakes on L7 routes",
    labelNames: ["listener"],
    registers: [registry],
  });
  return { registry, connections, active, firewallDrops, bytes, http, tlsErrors };
}

export type Metrics = ReturnType<typeof createMetrics>;
