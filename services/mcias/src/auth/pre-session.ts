// The pre-session cookie: a random id that binds a login form's CSRF token to the browser that
// loaded the form, before there is any session. Each page family (SSO, OIDC, web UI) has its own
// cookie name and path so their forms never share or clobber ids.
import { randomBytes } from "node:crypto";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";

export interface PreSessionCookie {
  name: string;
  path: string;
}

const ID = /^[A-Za-z0-9_-]{43}$/;

/** The browser's pre-session id, minted (and set as a cookie) on first sight. */
export function preSessionId(c: Context, cookie: PreSessionCookie): string {
  const existing = getCookie(c, cookie.name);
  if (existing && ID.test(existing)) return existing;
  const id = randomBytes(32).toString("base64url");
  setCookie(c, cookie.name, id, {
    httpOnly: true,
    sameSite: "Lax",
    secure: new URL(c.req.url).protocol === "https:",
    path: cookie.path,
    maxAge: 3600,
  });
  return id;
}

/** The id the browser sent back with a form ("" when none), for CSRF verification. */
export function presentedPreSession(c: Context, cookie: PreSessionCookie): string {
  return getCookie(c, cookie.name) ?? "";
}
