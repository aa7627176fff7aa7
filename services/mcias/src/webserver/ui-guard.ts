// Access checks for the web UI's access-map kinds, run by the router before a UI handler:
//   ui-public  anyone (the login page); the session is still read when present
//   ui-user    a signed-in browser session; otherwise 303 to /ui/login
//   ui-admin   a signed-in admin human (the REST rule, isAdminIdentity); otherwise 403
// Every POST/PUT/DELETE must carry the CSRF token bound to the session (or, before login, to
// the pre-session cookie) in the `_csrf` form field or the X-CSRF-Token header (htmx).
// Every UI response gets the same strict security headers.
import { randomBytes } from "node:crypto";
import { CSRF_FIELD, CSRF_HEADER, csrfToken, verifyCsrfToken } from "@metacircular/mcdsl/csrf";
import type { Context } from "hono";
import type { Core } from "../app.ts";
import { isAdminIdentity } from "../auth/caller.ts";
import { type Env, type Handler, setCaller } from "../server/route-types.ts";
import { errorPage } from "./error-page.tsx";
import { preSessionId, sessionIdentity } from "./ui-session.ts";

export type UiAccess = "ui-public" | "ui-user" | "ui-admin";

export function isUiAccess(a: string): a is UiAccess {
  return a === "ui-public" || a === "ui-user" || a === "ui-admin";
}

/** One key per process: a restart invalidates open forms, never sessions. */
const CSRF_KEY = randomBytes(32);
const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

function securityHeaders(c: Context): void {
  c.header("content-security-policy", CSP);
  c.header("x-frame-options", "DENY");
  c.header("referrer-policy", "same-origin");
  c.header("cache-control", "no-store");
}

async function presentedTokens(c: Context): Promise<string[]> {
  const found: string[] = [];
  const type = c.req.header("content-type") ?? "";
  if (/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) {
    const v = (await c.req.parseBody())[CSRF_FIELD];
    if (typeof v === "string") found.push(v);
  }
  const header = c.req.header(CSRF_HEADER);
  if (header) found.push(header);
  return found;
}

/** Where to come back after login: only local UI paths. */
export function safeNext(raw: string | undefined): string {
  return raw && /^\/ui\/[A-Za-z0-9/_.?=&%-]*$/.test(raw) && !raw.startsWith("//") ? raw : "/ui/";
}

export async function uiGuard(
  core: Core,
  access: UiAccess,
  c: Context<Env>,
  handler: Handler,
): Promise<Response> {
  securityHeaders(c);
  const id = sessionIdentity(core, c);
  if (id) setCaller(c, id);
  if (access !== "ui-public" && !id) {
    const url = new URL(c.req.url);
    const next = c.req.method === "GET" ? safeNext(url.pathname + url.search) : "/ui/";
    return c.redirect(`/ui/login?next=${encodeURIComponent(next)}`, 303);
  }
  // Bound to the session, not to its current token: forms rendered before a sliding renewal
  // stay valid afterwards. The key is secret, so the id need not be.
  const sid = id ? `${id.accountId}.${id.authTime}` : preSessionId(c);
  c.set("csrfToken", csrfToken(sid, CSRF_KEY));
  if (access === "ui-admin" && id && !isAdminIdentity(id))
    return errorPage(c, 403, "Forbidden", "This page is for administrators.", id);
  if (MUTATING.has(c.req.method)) {
    const tokens = await presentedTokens(c);
    if (!tokens.some((t) => verifyCsrfToken(sid, t, CSRF_KEY)))
      return errorPage(
        c,
        403,
        "Request refused",
        "The form was stale or did not come from this site (missing or invalid CSRF token). Reload the page and try again.",
        id,
      );
  }
  return handler(c);
}
