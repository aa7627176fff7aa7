// Prometheus metrics for every service: one registry per process with the standard process and
// Node.js runtime metrics, and the exposition as text. Services import prom-client's metric
// classes from here, so the whole platform uses one prom-client and one way to expose it.
import { collectDefaultMetrics, Registry } from "prom-client";

export interface RegistryOptions {
  /** Prefix for the process and runtime metrics (e.g. "mcns_"); default none (process_*, nodejs_*). */
  prefix?: string;
  /** Collect process_* and nodejs_* metrics; default true. */
  runtime?: boolean;
}

export function createRegistry(opts: RegistryOptions = {}): Registry {
  const registry = new Registry();
  if (opts.runtime !== false) collectRuntimeMetrics(registry, opts.prefix);
  return registry;
}

/**
 * process_* and nodejs_* (resident memory, CPU, open descriptors, heap, event-loop lag) on an
 * existing registry, e.g. prom-client's global one in a cluster worker, which the primary's
 * AggregatorRegistry collects.
 */
export function collectRuntimeMetrics(registry: Registry, prefix?: string): void {
  collectDefaultMetrics({ register: registry, ...(prefix ? { prefix } : {}) });
}

export interface Exposition {
  contentType: string;
  body: string;
}

/** The registry in the Prometheus text format, ready to send. */
export async function exposition(registry: Registry): Promise<Exposition> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
