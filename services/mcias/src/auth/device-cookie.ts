// The browser's device token (protection/devices.ts) travels in one cookie shared by every MCIAS
// login page (web UI, SSO, OIDC): HttpOnly (scripts never see it), Secure when served over
// HTTPS, SameSite=Strict (only MCIAS's own forms send it) and Path=/ so each login form gets it.
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";

export const DEVICE_COOKIE = "mcias_device";

/** The device token the browser sent, if any. */
export function deviceCookie(c: Context): string | undefined {
  return getCookie(c, DEVICE_COOKIE);
}

/** Stores the fresh token from a successful login; `ttlDays` is [protection].device_ttl_days. */
export function setDeviceCookie(c: Context, token: string | undefined, ttlDays: number): void {
  if (!token) return;
  setCookie(c, DEVICE_COOKIE, token, {
    httpOnly: true,
    secure: new URL(c.req.url).protocol === "https:",
    sameSite: "Strict",
    path: "/",
    maxAge: ttlDays * 86_400,
  });
}
