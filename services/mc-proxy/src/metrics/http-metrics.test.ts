import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AggregatorRegistry, Counter, Histogram, Registry } from "prom-client";
import { HttpMetrics } from "./http-metrics.ts";

const BOUNDS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30];
const OBSERVATIONS: [string, number, number][] = [
  ["a.example.test", 200, 0.0004],
  ["a.example.test", 200, 0.001],
  ["a.example.test", 404, 0.02],
  ["b.example.test", 502, 40],
  ["a.example.test", 200, 0.7],
  ["b.example.test", 200, 0.005],
];

/** The same metrics the way prom-client's own classes keep them. */
function promClient(observations: typeof OBSERVATIONS): Registry {
  const registry = new Registry();
  const requests = new Counter({
    name: "t_requests_total",
    help: "requests",
    labelNames: ["route", "status"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "t_latency_seconds",
    help: "latency",
    labelNames: ["route"],
    buckets: BOUNDS,
    registers: [registry],
  });
  for (const [route, status, secs] of observations) {
    requests.labels({ route, status }).inc();
    latency.labels({ route }).observe(secs);
  }
  return registry;
}

function fast(observations: typeof OBSERVATIONS): { registry: Registry; m: HttpMetrics } {
  const registry = new Registry();
  const m = new HttpMetrics(
    registry,
    "t_requests_total",
    "requests",
    "t_latency_seconds",
    "latency",
    BOUNDS,
  );
  for (const [route, status, secs] of observations) m.route(route).record(status, secs);
  return { registry, m };
}

describe("HttpMetrics", () => {
  it("renders exactly what prom-client's Counter and Histogram render", async () => {
    assert.equal(
      await fast(OBSERVATIONS).registry.metrics(),
      await promClient(OBSERVATIONS).metrics(),
    );
  });

  it("aggregates across cluster workers like prom-client metrics do", async () => {
    const half = OBSERVATIONS.slice(0, 3);
    const rest = OBSERVATIONS.slice(3);
    const ours = AggregatorRegistry.aggregate([
      await fast(half).registry.getMetricsAsJSON(),
      await fast(rest).registry.getMetricsAsJSON(),
    ]);
    const theirs = AggregatorRegistry.aggregate([
      await promClient(half).getMetricsAsJSON(),
      await promClient(rest).getMetricsAsJSON(),
    ]);
    assert.equal(await ours.metrics(), await theirs.metrics());
  });

  it("starts from zero again after a registry reset", async () => {
    const { registry, m } = fast(OBSERVATIONS);
    registry.resetMetrics();
    assert.doesNotMatch(await registry.metrics(), /route=/);
    m.route("c.example.test").record(201, 0.002);
    assert.match(
      await registry.metrics(),
      /^t_requests_total\{route="c\.example\.test",status="201"\} 1$/m,
    );
  });
});
