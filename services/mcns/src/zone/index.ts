// Public surface of zones and master files, for benchmarks and tools.
export { parseMasterFile } from "./master-file.ts";
export { Zone } from "./zone.ts";
