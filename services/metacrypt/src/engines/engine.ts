// What an engine type is: named operations over the encrypted store of one mount. The service
// layer resolves the mount, checks policy (with the names an operation asks for) and audits;
// an engine sees only its MountStore, the caller and the request data.

import type { Identity } from "@metacircular/mcdsl/identity";
import type { MountStore } from "../barrier/mount-store.ts";

export interface EngineContext {
  mount: string;
  store: MountStore;
  identity: Identity;
}

export interface EngineOperation {
  /** Names the request asks for (DNS names, key names), matched by policy name patterns. */
  names?(data: unknown): string[];
  run(ctx: EngineContext, data: unknown): Promise<unknown>;
  /**
   * The operation policy decides on, when it is another's (host-cert is decided as issue), or
   * depends on the request (an SSH host certificate is decided as sign-host).
   */
  policyOperation?: string | ((data: unknown) => string);
  /** Extra audit detail (a batch: its item count); never request values. */
  auditDetail?(data: unknown): Record<string, unknown>;
}

export interface EngineType {
  type: string;
  operations: Record<string, EngineOperation>;
  /** Optional set-up when a mount is created (e.g. default configuration). */
  onMount?(store: MountStore, config: unknown): Promise<void>;
}
