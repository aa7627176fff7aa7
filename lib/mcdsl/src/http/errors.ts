// Error rendering for REST: AppError → its status and {"error":{"code","message"}}; Hono's own
// HTTP exceptions keep their status; anything else is logged and answered as a bare 500.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, errorBody } from "../errors/index.ts";
import type { AppEnv } from "./env.ts";

const CODE_BY_STATUS: Record<number, string> = {
  400: "bad_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
  503: "unavailable",
};

export function renderError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof AppError) {
    if (err.retryAfter !== undefined) c.header("Retry-After", String(err.retryAfter));
    if (err.status >= 500 && err.status !== 503) {
      // Server-side details stay in the log, as for gRPC.
      c.get("log")?.error({ err }, "request failed");
      return c.json(errorBody(err.code, "internal error"), err.status as ContentfulStatusCode);
    }
    return c.json(err.toBody(), err.status as ContentfulStatusCode);
  }
  // c.req.json() on a malformed body: the client's fault, not ours.
  if (err instanceof SyntaxError && /JSON/.test(err.message)) {
    return c.json(errorBody("invalid_json", "request body is not valid JSON"), 400);
  }
  if (err instanceof HTTPException && err.status < 500) {
    const code = CODE_BY_STATUS[err.status] ?? "bad_request";
    return c.json(errorBody(code, err.message || code.replace(/_/g, " ")), err.status);
  }
  c.get("log")?.error({ err }, "unhandled error");
  return c.json(errorBody("internal", "internal error"), 500);
}

export function renderNotFound(c: Context<AppEnv>): Response {
  return c.json(errorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404);
}
