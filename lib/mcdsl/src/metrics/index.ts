export {
  AggregatorRegistry,
  Counter,
  Gauge,
  Histogram,
  type Metric,
  Registry,
  register,
  Summary,
} from "prom-client";
export {
  collectRuntimeMetrics,
  createRegistry,
  type Exposition,
  exposition,
  type RegistryOptions,
} from "./registry.ts";
export { metricsRoute } from "./route.ts";
