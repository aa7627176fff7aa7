// Hono middleware: every POST/PUT/PATCH/DELETE must carry the session's CSRF token in the
// X-CSRF-Token header or the `_csrf` form field. Before login (no session yet) the token binds to
// a random pre-session id kept in its own HttpOnly cookie, so the login form is protected too.
// The current token is exposed to templates as c.get("csrfToken").
import { randomBytes } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { AppError } from "../errors/index.ts";
import { checkCsrfKey, csrfToken, verifyCsrfToken } from "./token.ts";

export const CSRF_HEADER = "X-CSRF-Token";
export const CSRF_FIELD = "_csrf";
const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface CsrfEnv {
  Variables: { csrfToken: string };
}

export interface CsrfOptions {
  key: Buffer;
  /** The logged-in session's id, if any (from the session cookie). */
  sessionId?: (c: Context) => string | undefined;
  /** Cookie holding the pre-session id; default "mc_csrf". */
  cookieName?: string;
  /** Default true; off only for plain-HTTP development. */
  secure?: boolean;
}

async function presented(c: Context): Promise<string | undefined> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  const type = c.req.header("Content-Type") ?? "";
  if (/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) {
    const body = await c.req.parseBody();
    const v = body[CSRF_FIELD];
    return typeof v === "string" ? v : undefined;
  }
  return undefined;
}

export function csrfProtection(opts: CsrfOptions): MiddlewareHandler<CsrfEnv> {
  checkCsrfKey(opts.key);
  const cookieName = opts.cookieName ?? "mc_csrf";
  const secure = opts.secure ?? true;
  return async (c, next) => {
    let id = opts.sessionId?.(c) ?? getCookie(c, cookieName);
    if (!id) {
      id = randomBytes(24).toString("base64url");
      setCookie(c, cookieName, id, { httpOnly: true, secure, sameSite: "Lax", path: "/" });
    }
    c.set("csrfToken", csrfToken(id, opts.key));
    if (MUTATING.has(c.req.method)) {
      const token = await presented(c);
      if (!verifyCsrfToken(id, token, opts.key)) {
        throw AppError.forbidden("missing or invalid CSRF token", "csrf_invalid");
      }
    }
    await next();
  };
}
