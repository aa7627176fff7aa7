export {
  AggregatorRegistry,
  Counter,
  Gauge,
  Histogram,
  type Metric,
  Registry,
  Summary,
} from "prom-client";
export { createRegistry, type Exposition, exposition, type RegistryOptions } from "./registry.ts";
export { metricsRoute } from "./route.ts";
