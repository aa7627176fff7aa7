// ssoRoutes: the client side of MCIAS single sign-on for a Hono service.
//   GET  /login          "Sign in with MCIAS" link, or a password form when SSO is not configured
//   POST /login          (fallback only, CSRF-protected) password + TOTP via AuthClient.login
//   GET  /sso/redirect   new state + PKCE verifier in a signed short-lived cookie → MCIAS
//   GET  /sso/callback   state check, server-to-server code exchange, session cookie → "/"
import { createHmac, randomBytes } from "node:crypto";
import type { Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { AuthClient, JsonClient } from "../auth/index.ts";
import { csrfToken, verifyCsrfToken } from "../csrf/index.ts";
import { AppError } from "../errors/index.ts";
import { keyList, type SessionKeys, type SessionStore, sessionStore } from "../session/index.ts";
import { passwordLoginPage, ssoLoginPage } from "./pages.ts";
import { newPkce, newState, sameString } from "./pkce.ts";

export interface SsoSession {
  token: string;
  username: string;
  /** Token expiry, unix seconds. */
  expiresAt: number;
}

export interface SsoOptions {
  mciasUrl: string;
  caCert?: string;
  /** This service's login-policy context (for the fallback login and token validation). */
  serviceName: string;
  /** Both set = SSO; otherwise /login is the password form. */
  clientId?: string;
  /** Absolute URL of this service's /sso/callback, registered byte for byte in MCIAS. */
  redirectUri?: string;
  /** HMAC keys for the session and state cookies (≥ 32 bytes; first signs). */
  sessionKeys: SessionKeys;
  sessionName?: string;
  sessionTtlSeconds?: number;
  /** Secure cookies; default true (plain-HTTP development only may turn it off). */
  secure?: boolean;
  title?: string;
  /** Reused for the fallback login and identity lookups; built from the options otherwise. */
  auth?: AuthClient;
  onLogin?: (c: Context, session: SsoSession) => void | Promise<void>;
}

const STATE_COOKIE = "mc_sso_state";
const PRE_COOKIE = "mc_login_pre";
const STATE_TTL_S = 600;

interface StatePayload {
  state: string;
  verifier: string;
}

interface TokenAnswer {
  token?: string;
  expires_at?: string;
}

function bad(code: string, message: string): AppError {
  return AppError.badRequest(code, message);
}

/** Registers the login routes on `app`; returns the session store the app reads. */
export function ssoRoutes(app: Hono, opts: SsoOptions): SessionStore<SsoSession> {
  const secure = opts.secure ?? true;
  const title = opts.title ?? `Sign in to ${opts.serviceName}`;
  const session = sessionStore<SsoSession>({
    keys: opts.sessionKeys,
    secure,
    ...(opts.sessionName ? { name: opts.sessionName } : {}),
    ...(opts.sessionTtlSeconds ? { ttlSeconds: opts.sessionTtlSeconds } : {}),
  });
  const stateStore = sessionStore<StatePayload>({
    name: STATE_COOKIE,
    keys: opts.sessionKeys,
    secure,
    ttlSeconds: STATE_TTL_S,
    path: "/sso/",
  });
  const csrfKey = createHmac("sha256", keyList(opts.sessionKeys)[0]!)
    .update("mcdsl-sso-csrf")
    .digest();
  const auth =
    opts.auth ??
    new AuthClient({
      serverUrl: opts.mciasUrl,
      serviceName: opts.serviceName,
      ...(opts.caCert ? { caCert: opts.caCert } : {}),
    });
  const mcias = new JsonClient(opts.mciasUrl, opts.caCert);
  const sso =
    opts.clientId && opts.redirectUri
      ? { clientId: opts.clientId, redirectUri: opts.redirectUri }
      : undefined;

  const establish = async (c: Context, token: string, expiresAtSec: number) => {
    const id = await auth.validate(token);
    if (!id) throw AppError.unauthenticated("MCIAS refused the new token", "invalid_token");
    const s: SsoSession = { token, username: id.username, expiresAt: expiresAtSec };
    session.set(c, s);
    await opts.onLogin?.(c, s);
    return c.redirect("/", 302);
  };

  const preSession = (c: Context): string => {
    const existing = getCookie(c, PRE_COOKIE);
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const id = randomBytes(32).toString("base64url");
    setCookie(c, PRE_COOKIE, id, { httpOnly: true, secure, sameSite: "Lax", path: "/login" });
    return id;
  };

  app.get("/login", (c) => {
    c.header("cache-control", "no-store");
    if (sso) return c.html(ssoLoginPage(title));
    return c.html(passwordLoginPage(title, csrfToken(preSession(c), csrfKey)));
  });

  if (!sso) {
    app.post("/login", async (c) => {
      const form = await c.req.parseBody();
      const str = (k: string) => (typeof form[k] === "string" ? (form[k] as string) : "");
      if (!verifyCsrfToken(getCookie(c, PRE_COOKIE) ?? "", str("_csrf"), csrfKey))
        throw AppError.forbidden("missing or invalid CSRF token", "csrf_invalid");
      try {
        const r = await auth.login(str("username"), str("password"), str("totp_code") || undefined);
        return await establish(c, r.token, Math.floor(r.expiresAt.getTime() / 1000));
      } catch (e) {
        if (!(e instanceof AppError) || e.status >= 500) throw e;
        c.header("cache-control", "no-store");
        const page = passwordLoginPage(title, csrfToken(preSession(c), csrfKey), {
          username: str("username"),
          error: e.message,
        });
        return c.html(page, e.status === 429 ? 429 : e.status === 403 ? 403 : 401);
      }
    });
  }

  app.get("/sso/redirect", (c) => {
    if (!sso) throw AppError.notFound("sso_disabled", "single sign-on is not configured");
    const state = newState();
    const { verifier, challenge } = newPkce();
    stateStore.set(c, { state, verifier });
    const target = new URL("/sso/authorize", opts.mciasUrl);
    target.search = new URLSearchParams({
      client_id: sso.clientId,
      redirect_uri: sso.redirectUri,
      state,
      code_challenge: challenge,
      code_challenge_method: "S256",
    }).toString();
    c.header("cache-control", "no-store");
    return c.redirect(target.toString(), 302);
  });

  app.get("/sso/callback", async (c) => {
    if (!sso) throw AppError.notFound("sso_disabled", "single sign-on is not configured");
    const saved = stateStore.get(c);
    stateStore.clear(c);
    const code = c.req.query("code") ?? "";
    const state = c.req.query("state") ?? "";
    if (!saved || !state || !sameString(state, saved.state))
      throw bad("invalid_state", "sign-in state is missing, expired or does not match");
    if (!code) throw bad("invalid_request", "missing code");
    const res = await mcias.request("POST", "/v1/sso/token", {
      body: {
        client_id: sso.clientId,
        code,
        redirect_uri: sso.redirectUri,
        code_verifier: saved.verifier,
      },
    });
    const body = res.body as TokenAnswer | null;
    if (res.status !== 200 || !body?.token || !body.expires_at)
      throw bad("sso_exchange_failed", `MCIAS refused the code (status ${res.status})`);
    return establish(c, body.token, Math.floor(Date.parse(body.expires_at) / 1000));
  });

  return session;
}
