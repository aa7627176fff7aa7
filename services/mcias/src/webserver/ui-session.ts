// The web UI's browser session: an HttpOnly cookie (Path=/ui) holding a login token issued
// for the "mcias" service context. Every request validates it through core.tokens, so logout,
// revocation, disabling and password resets end the browser session on the very next request.
// While the user is active the token is renewed before it runs out (src/auth/sliding-session.ts,
// at most browser_sessions.max_s after the sign-in), so an active admin is not signed out when
// the first token's hour is over. Before login a random pre-session id (its own cookie) anchors
// the login form's CSRF token.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Core } from "../app.ts";
import { checkCallerToken, MCIAS_AUDIENCE } from "../auth/caller.ts";
import { preSessionId as sharedPreSessionId } from "../auth/pre-session.ts";
import { SlidingSessions } from "../auth/sliding-session.ts";
import type { TokenIdentity } from "../tokens/tokens.ts";

export const UI_SERVICE = MCIAS_AUDIENCE;
export const SESSION_COOKIE = "mcias_ui";
export const PRE_SESSION_COOKIE = "mcias_ui_pre";
const COOKIE_PATH = "/ui";

/** Secure cookies whenever the browser reached us over TLS. */
function secure(c: Context): boolean {
  return new URL(c.req.url).protocol === "https:";
}

const sliding = new WeakMap<Core, SlidingSessions>();

function slidingFor(core: Core): SlidingSessions {
  let s = sliding.get(core);
  if (!s) {
    s = new SlidingSessions(core, {
      audience: UI_SERVICE,
      ttlMs: core.cfg.tokens.login_ttl_s * 1000,
      maxAgeMs: core.cfg.browser_sessions.max_s * 1000,
      via: "web_ui",
    });
    sliding.set(core, s);
  }
  return s;
}

/**
 * The signed-in identity, or undefined (a stale cookie is removed). A session due for renewal
 * gets its new token as the cookie of this response; the identity returned is the new token's.
 */
export function sessionIdentity(core: Core, c: Context): TokenIdentity | undefined {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return undefined;
  const r = checkCallerToken(core, token, "mcias-api");
  if (!r.ok || r.identity.kind !== "login") {
    endSession(c);
    return undefined;
  }
  const renewed = slidingFor(core).touch(r.identity);
  if (!renewed) return r.identity;
  startSession(c, renewed.token, renewed.expiresAt, core.now());
  const next = core.tokens.validate(renewed.token);
  return next.valid ? next.identity : r.identity;
}

/** Sign-out: revokes the session's token (and the one it replaced) and drops the cookie. */
export function signOut(core: Core, c: Context, id: TokenIdentity, reason: string): void {
  slidingFor(core).end(id, reason);
  endSession(c);
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
