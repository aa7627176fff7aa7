// Hono context variables every mcdsl app provides.
import type { Context } from "hono";
import type { Logger } from "pino";
import { AppError } from "../errors/index.ts";
import type { Identity } from "../identity/index.ts";

export interface AppVariables {
  requestId: string;
  /** Request-scoped logger carrying the request id. */
  log: Logger;
  /** The service name given to createApp (the realm of Bearer challenges). */
  service?: string;
  /** Set by accessMap when the caller presented a valid token. */
  identity?: Identity;
}

export interface AppEnv {
  Variables: AppVariables;
}

export function identityOf(c: Context<AppEnv>): Identity | undefined {
  return c.get("identity");
}

/** The caller's identity, or a 401 when there is none. */
export function requireIdentity(c: Context<AppEnv>): Identity {
  const id = c.get("identity");
  if (!id) throw AppError.unauthenticated();
  return id;
}
