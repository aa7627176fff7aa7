export { appliedVersions, type Migration, MigrationError, migrate } from "./migrate.ts";
export {
  chmodBestEffort,
  type DB,
  type DB as Database,
  type OpenOptions,
  openDatabase,
} from "./open.ts";
export { snapshot } from "./snapshot.ts";
export { cachedStatement } from "./statements.ts";
