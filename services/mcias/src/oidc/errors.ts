// OAuth 2 error responses. The /oauth2/* endpoints are spoken to by third-party software, so
// they answer in the RFC 6749 §5.2 format `{"error": "invalid_grant", "error_description": …}`
// rather than MCIAS's own `{"error": {"code", "message"}}`: that is the one deliberate
// exception to the platform's error convention.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Context } from "hono";

export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
    /** WWW-Authenticate challenge to send (invalid_client with Basic, bearer errors). */
    readonly challenge?: string,
  ) {
    super(description);
    this.name = "OAuthError";
  }
}

export const invalidRequest = (d: string) => new OAuthError("invalid_request", d);
export const invalidGrant = (d: string) => new OAuthError("invalid_grant", d);
export const invalidClient = (d: string, basic = false) =>
  new OAuthError("invalid_client", d, 401, basic ? 'Basic realm="mcias"' : undefined);
export const invalidToken = (d: string) =>
  new OAuthError(
    "invalid_token",
    d,
    401,
    `Bearer realm="mcias", error="invalid_token", error_description="${d.replace(/"/g, "'")}"`,
  );

/** Renders OAuthErrors (and AppErrors raised by shared code, by their code) in OAuth form. */
export function oauthErrorResponse(c: Context, e: unknown): Response {
  if (e instanceof OAuthError) {
    if (e.challenge) c.header("www-authenticate", e.challenge);
    c.header("cache-control", "no-store");
    return c.json(
      { error: e.error, error_description: e.description },
      e.status as 400 | 401 | 403,
    );
  }
  if (e instanceof AppError && e.status < 500) {
    if (e.retryAfter) c.header("retry-after", String(e.retryAfter));
    const error = e.code === "invalid_grant" ? "invalid_grant" : "invalid_request";
    return c.json({ error, error_description: e.message }, e.status as 400 | 401 | 403 | 429);
  }
  throw e;
}

/** Wraps a handler so its OAuth errors are rendered in OAuth form. */
export function oauth<C extends Context>(
  fn: (c: C) => Promise<Response> | Response,
): (c: C) => Promise<Response> {
  return async (c) => {
    try {
      return await fn(c);
    } catch (e) {
      return oauthErrorResponse(c, e);
    }
  };
}
