// What the /v2 handlers need, built once by the composition root.
import type { Logger } from "@metacircular/mcdsl/log";
import type { TokenService } from "../auth/token-service.ts";
import type { RegistryMetrics } from "../metrics.ts";
import type { PolicyStore } from "../policy/policy-store.ts";
import type { RegistryContext } from "../registry/context.ts";
import type { BlobReads } from "./blob-send.ts";
import type { GateOptions } from "./gate.ts";

export interface V2Deps {
  ctx: RegistryContext;
  gate: GateOptions;
  tokens: TokenService;
  policy: PolicyStore;
  service: string;
  maxManifestBytes: number;
  logger: Logger;
  metrics: RegistryMetrics;
  /** How blob downloads read the store ([storage] blob_reads). */
  blobReads: BlobReads;
}
