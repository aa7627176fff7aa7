// The server-side interceptor: default-deny access check from the MethodMap, identity passed to
// handlers through a context key, and AppError → gRPC status on the way out.
import {
  Code,
  ConnectError,
  createContextKey,
  type HandlerContext,
  type Interceptor,
} from "@connectrpc/connect";
import type { Logger } from "pino";
import { AppError, toConnectError } from "../errors/index.ts";
import { bearerToken, type Identity, isAdmin, type TokenValidator } from "../identity/index.ts";
import { type MethodMap, methodKey } from "./method-map.ts";

export const identityKey = createContextKey<Identity | undefined>(undefined, {
  description: "caller identity",
});

export function identityFrom(ctx: HandlerContext): Identity | undefined {
  return ctx.values.get(identityKey);
}

/** The caller's identity, or UNAUTHENTICATED when there is none. */
export function requireIdentityFrom(ctx: HandlerContext): Identity {
  const id = ctx.values.get(identityKey);
  if (!id) throw new ConnectError("authentication required", Code.Unauthenticated);
  return id;
}

function convert(e: unknown, logger: Logger, method: string): ConnectError {
  const ce = toConnectError(e);
  if (!(e instanceof ConnectError) && (!(e instanceof AppError) || e.status >= 500)) {
    logger.error({ err: e, method }, "grpc handler failed");
  }
  return ce;
}

async function* guardStream<T>(it: AsyncIterable<T>, logger: Logger, method: string) {
  try {
    yield* it;
  } catch (e) {
    throw convert(e, logger, method);
  }
}

export function authInterceptor(
  map: MethodMap,
  validator: TokenValidator | undefined,
  logger: Logger,
): Interceptor {
  return (next) => async (req) => {
    const key = methodKey(req.service, req.method.name);
    const level = map[key];
    if (level === undefined) {
      logger.warn({ method: key }, "grpc method missing from method map");
      throw new ConnectError("method is not declared in the method map", Code.PermissionDenied);
    }
    const token = bearerToken(req.header.get("authorization"));
    let identity: Identity | null = null;
    if (token && validator) {
      try {
        identity = await validator.validate(token, { method: key });
      } catch (e) {
        // A validator may refuse a token with a stable reason (an AppError below 500): that
        // refusal reaches the caller as is. Anything else means validation is unavailable.
        const refusal = e instanceof AppError && e.status < 500;
        if (!refusal) logger.warn({ err: e, method: key }, "token validation failed");
        // Public methods keep working (anonymously) either way.
        if (level !== "public") {
          if (refusal) throw toConnectError(e);
          throw new ConnectError("token validation is unavailable", Code.Unavailable);
        }
      }
    }
    // Refusals carry the same stable codes as the REST access map's (mc-error-code trailer).
    if (level !== "public") {
      if (!identity) {
        throw toConnectError(
          AppError.unauthenticated(token ? "invalid or expired token" : undefined),
        );
      }
      if (level === "admin" && !isAdmin(identity)) {
        throw toConnectError(AppError.forbidden("admin role required"));
      }
    }
    if (identity) req.contextValues.set(identityKey, identity);
    try {
      const res = await next(req);
      if (!res.stream) return res;
      return { ...res, message: guardStream(res.message, logger, key) };
    } catch (e) {
      throw convert(e, logger, key);
    }
  };
}
