// Public surface of the answer engine, for benchmarks and tools that answer queries in process.
export { Responder } from "./responder.ts";
export { ZoneRegistry } from "./zone-registry.ts";
