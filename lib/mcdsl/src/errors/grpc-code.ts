// AppError → Connect/gRPC status, per ARCHITECTURE.md: 400→INVALID_ARGUMENT, 401→UNAUTHENTICATED,
// 403→PERMISSION_DENIED, 404→NOT_FOUND, 409→ALREADY_EXISTS (codes that say so) or
// FAILED_PRECONDITION, 429→RESOURCE_EXHAUSTED, 503→UNAVAILABLE, anything else → INTERNAL.
import { Code, ConnectError } from "@connectrpc/connect";
import { AppError } from "./app-error.ts";

/** Trailer carrying the stable AppError code, so gRPC clients can branch like REST clients. */
export const ERROR_CODE_METADATA = "mc-error-code";

const BY_STATUS: Record<number, Code> = {
  400: Code.InvalidArgument,
  401: Code.Unauthenticated,
  403: Code.PermissionDenied,
  404: Code.NotFound,
  412: Code.FailedPrecondition,
  413: Code.ResourceExhausted,
  415: Code.InvalidArgument,
  429: Code.ResourceExhausted,
  501: Code.Unimplemented,
  503: Code.Unavailable,
  504: Code.DeadlineExceeded,
};

const EXISTS = /(^|_)(exists|already_exists|duplicate|taken)($|_)/;

export function grpcCodeFor(status: number, appCode = ""): Code {
  if (status === 409) return EXISTS.test(appCode) ? Code.AlreadyExists : Code.FailedPrecondition;
  return BY_STATUS[status] ?? Code.Internal;
}

/**
 * Converts anything a handler threw into a ConnectError. AppErrors keep their message and code;
 * ConnectErrors pass through; everything else becomes a bare INTERNAL (the caller logs it).
 */
export function toConnectError(e: unknown): ConnectError {
  if (e instanceof ConnectError) return e;
  if (e instanceof AppError) {
    const meta = new Headers({ [ERROR_CODE_METADATA]: e.code });
    if (e.retryAfter !== undefined) meta.set("retry-after", String(e.retryAfter));
    const message = e.status >= 500 && e.status !== 503 ? "internal error" : e.message;
    return new ConnectError(message, grpcCodeFor(e.status, e.code), meta, undefined, e);
  }
  return new ConnectError("internal error", Code.Internal);
}
