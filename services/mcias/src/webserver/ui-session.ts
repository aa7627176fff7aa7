// The web UI's browser session: an HttpOnly cookie (Path=/ui) holding a login token issued
// for the "mcias" service context. Every request validates it through core.tokens, so logout,
// revocation, disabling and password resets end the browser session on the very next request.
// Before login a random pre-session id (its own cookie) anchors the login form's CSRF token.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { checkCallerToken, MCIAS_AUDIENCE } from "../auth/caller.ts";
import { preSessionId as sharedPreSessionId } from "../auth/pre-session.ts";
import type { Core } from "../core.ts";
import type { TokenIdentity } from "../tokens/tokens.ts";

export const UI_SERVICE = MCIAS_AUDIENCE;
export const SESSION_COOKIE = "mcias_ui";
export const PRE_SESSION_COOKIE = "mcias_ui_pre";
const COOKIE_PATH = "/ui";

/** Secure cookies whenever the browser reached us over TLS. */
function secure(c: Context): boolean {
  return new URL(c.req.url).protocol === "https:";
}

/** The signed-in identity, or undefined (a stale cookie is removed). */
export function sessionIdentity(core: Core, c: Context): TokenIdentity | undefined {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return undefined;
  const r = checkCallerToken(core, token, "mcias-api");
  if (r.ok && r.identity.kind === "login") return r.identity;
  endSession(c);
  return undefined;
}

export function startSession(c: Context, token: string, expiresAt: number, now: number): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: secure(c),
    sameSite: "Lax",
    path: COOKIE_PATH,
    maxAge: Math.max(1, Math.floor((expiresAt - now) / 1000)),
  });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: COOKIE_PATH, secure: secure(c) });
}

/** The pre-session id for CSRF before login, created on first sight. */
export function preSessionId(c: Context): string {
  return sharedPreSessionId(c, { name: PRE_SESSION_COOKIE, path: COOKIE_PATH });
}
