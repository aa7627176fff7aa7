// What every registry use case works with: the metadata queries, the blob store and the audit.
import type { Queries } from "../db/queries.ts";
import type { BlobStore } from "../storage/blob-store.ts";
import type { AuditLog } from "./audit.ts";

export interface RegistryContext {
  q: Queries;
  store: BlobStore;
  audit: AuditLog;
  now(): number;
}
