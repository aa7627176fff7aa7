// AppError is the one error type handlers throw for expected failures. It carries a stable,
// machine-readable code (snake_case), a human message and the HTTP status it maps to.
// REST renders it as {"error": {"code", "message"}}; gRPC maps the status to a Connect code.

export interface ErrorBody {
  error: { code: string; message: string };
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  /** Seconds a client should wait before retrying (429/503). */
  readonly retryAfter: number | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    opts?: { retryAfter?: number; cause?: unknown },
  ) {
    super(message, opts?.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "AppError";
    this.status = status;
    this.code = code;
    this.retryAfter = opts?.retryAfter;
  }

  static badRequest(code: string, message: string): AppError {
    return new AppError(400, code, message);
  }
  static unauthenticated(message = "authentication required", code = "unauthenticated"): AppError {
    return new AppError(401, code, message);
  }
  static forbidden(message = "permission denied", code = "forbidden"): AppError {
    return new AppError(403, code, message);
  }
  static notFound(code: string, message: string): AppError {
    return new AppError(404, code, message);
  }
  static conflict(code: string, message: string): AppError {
    return new AppError(409, code, message);
  }
  static tooManyRequests(retryAfter: number, message = "too many requests"): AppError {
    return new AppError(429, "rate_limited", message, { retryAfter });
  }
  static internal(message = "internal error"): AppError {
    return new AppError(500, "internal", message);
  }
  static unavailable(message: string, retryAfter?: number): AppError {
    return new AppError(
      503,
      "unavailable",
      message,
      retryAfter === undefined ? undefined : { retryAfter },
    );
  }

  toBody(): ErrorBody {
    return errorBody(this.code, this.message);
  }
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
