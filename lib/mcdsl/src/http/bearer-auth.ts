// Bearer authentication of REST requests (RFC 6750): the one place that turns a missing, bad or
// insufficient token into its answer. accessMap uses it, and so does a service whose own router
// plugs in its own token rule (MCIAS's audience rule). Every refusal carries the challenge:
//   no token presented        401  WWW-Authenticate: Bearer realm="<service>"          (§3.1: no error)
//   token not acceptable      401  Bearer realm="<service>", error="invalid_token"
//   valid but not permitted   403  Bearer realm="<service>", error="insufficient_scope"
// The JSON body stays the platform's {"error":{"code","message"}} with the validator's code.
import type { Context } from "hono";
import { AppError } from "../errors/index.ts";
import { bearerToken } from "../identity/index.ts";
import type { AppEnv } from "./env.ts";

export type BearerError = "invalid_token" | "insufficient_scope";
export type BearerLevel = "authenticated" | "admin";

/** The WWW-Authenticate value; the realm is reduced to characters safe in a quoted-string. */
export function bearerChallenge(realm: string, error?: BearerError): string {
  const safe = realm.replace(/[^\x20-\x7e]|["\\]/g, "");
  return error ? `Bearer realm="${safe}", error="${error}"` : `Bearer realm="${safe}"`;
}

export interface BearerCheck<I> {
  /** The caller behind a token; null, or a thrown 401 AppError, when it is not accepted here. */
  validate: (token: string) => Promise<I | null> | I | null;
  /** Whether the caller may use admin routes. */
  isAdmin: (identity: I) => boolean;
  /** Default: the service name given to createApp. */
  realm?: string;
  /** Where the token comes from; default the Authorization: Bearer header. */
  tokenFrom?: (c: Context<AppEnv>) => string | undefined;
}

/** The request's bearer token (mcdsl's one parser of the Authorization header). */
export function requestBearer(c: Context<AppEnv>): string | undefined {
  return bearerToken(c.req.header("Authorization"));
}

function refuse(c: Context<AppEnv>, realm: string, error: BearerError | undefined, e: AppError) {
  c.header("WWW-Authenticate", bearerChallenge(realm, error));
  return e;
}

/**
 * The caller of a route that needs a token at `level`, or a thrown 401/403 AppError whose
 * response carries the RFC 6750 challenge. Errors other than a 401 AppError (an outage of the
 * identity service) pass through unchanged.
 */
export async function requireBearer<I>(
  c: Context<AppEnv>,
  level: BearerLevel,
  check: BearerCheck<I>,
): Promise<I> {
  const realm = check.realm ?? c.get("service") ?? "api";
  const token = (check.tokenFrom ?? requestBearer)(c);
  if (!token) throw refuse(c, realm, undefined, AppError.unauthenticated());
  let identity: I | null;
  try {
    identity = await check.validate(token);
  } catch (err) {
    if (err instanceof AppError && err.status === 401) throw refuse(c, realm, "invalid_token", err);
    throw err;
  }
  if (!identity)
    throw refuse(c, realm, "invalid_token", AppError.unauthenticated("invalid or expired token"));
  if (level === "admin" && !check.isAdmin(identity))
    throw refuse(c, realm, "insufficient_scope", AppError.forbidden("admin role required"));
  return identity;
}
