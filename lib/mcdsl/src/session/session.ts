// Hono helpers for the signed session cookie: HttpOnly, SameSite=Lax, Secure unless explicitly
// turned off for plain-HTTP development, Max-Age = ttl, expiry also enforced inside the value.
import { randomBytes } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { keyList, type SessionKeys, seal, unseal } from "./cookie-codec.ts";

export interface SessionOptions {
  /** Cookie name; default "mc_session". */
  name?: string;
  /** HMAC keys (≥ 32 bytes); the first signs, all verify (rotation). */
  keys: SessionKeys;
  /** Lifetime in seconds; default 12 hours. */
  ttlSeconds?: number;
  /** Default true. Only a plain-HTTP development setup may turn this off. */
  secure?: boolean;
  path?: string;
}

export interface SessionStore<T> {
  readonly name: string;
  /** Writes the cookie; returns the expiry (unix seconds). */
  set(c: Context, payload: T): number;
  /** The payload, or undefined when absent, tampered with or expired. */
  get(c: Context): T | undefined;
  clear(c: Context): void;
}

const MAX_COOKIE_BYTES = 4000;

/** 32 random bytes, base64url: a session id for the payload (and for CSRF binding). */
export function newSessionId(): string {
  return randomBytes(32).toString("base64url");
}

export function sessionStore<T>(opts: SessionOptions): SessionStore<T> {
  keyList(opts.keys); // fail at startup, not on the first request
  const name = opts.name ?? "mc_session";
  const ttl = opts.ttlSeconds ?? 12 * 3600;
  const secure = opts.secure ?? true;
  const path = opts.path ?? "/";
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error("ttlSeconds must be a positive integer");
  if (name.startsWith("__Host-") && (!secure || path !== "/")) {
    throw new Error("__Host- cookies must be Secure with Path=/");
  }
  return {
    name,
    set(c, payload) {
      const expiresAt = Math.floor(Date.now() / 1000) + ttl;
      const value = seal(payload, expiresAt, opts.keys);
      if (value.length > MAX_COOKIE_BYTES)
        throw new Error("session payload too large for a cookie");
      setCookie(c, name, value, { httpOnly: true, secure, sameSite: "Lax", path, maxAge: ttl });
      return expiresAt;
    },
    get(c) {
      const raw = getCookie(c, name);
      if (!raw) return undefined;
      const r = unseal<T>(raw, opts.keys);
      return r.ok ? r.payload : undefined;
    },
    clear(c) {
      deleteCookie(c, name, { httpOnly: true, secure, sameSite: "Lax", path });
    },
  };
}
