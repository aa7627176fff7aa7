// ssoRoutes: the client side of MCIAS single sign-on for a Hono service.
//   GET  /login          "Sign in with MCIAS" link, or a password form when SSO is not configured
//   POST /login          (fallback only, CSRF-protected) password + TOTP via AuthClient.login
//   GET  /sso/redirect   new state + PKCE verifier in a signed short-lived cookie → MCIAS
//   GET  /sso/callback   state check, server-to-server code exchange, session cookie → "/"
import { createHmac, randomBytes } from "node:crypto";
import type { Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { AuthClient, JsonClient } from "../auth/index.ts";
import type { SsoConfig } from "../config/index.ts";
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
  /** MCIAS as this service reaches it: token validation, the code exchange, the fallback login. */
  mciasUrl: string;
  /**
   * MCIAS as the browser reaches it, when that differs from `mciasUrl` (e.g. a loopback backend
   * behind an HTTPS proxy): only the /sso/authorize redirect uses it. Default `mciasUrl`.
   */
  mciasPublicUrl?: string;
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

/** Everything the login routes share, built once from the options. */
interface Kit {
  opts: SsoOptions;
  secure: boolean;
  title: string;
  session: SessionStore<SsoSession>;
  stateStore: SessionStore<StatePayload>;
  csrfKey: Buffer;
  auth: AuthClient;
  mcias: JsonClient;
}

interface SsoClient {
  clientId: string;
  redirectUri: string;
}

function buildKit(opts: SsoOptions): Kit {
  const secure = opts.secure ?? true;
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
  const title = opts.title ?? `Sign in to ${opts.serviceName}`;
  return { opts, secure, title, session, stateStore, csrfKey, auth, mcias };
}

/** Validates the new token, sets the session cookie and sends the browser home. */
async function establish(k: Kit, c: Context, token: string, expiresAtSec: number) {
  const id = await k.auth.validate(token);
  if (!id) throw AppError.unauthenticated("MCIAS refused the new token", "invalid_token");
  const s: SsoSession = { token, username: id.username, expiresAt: expiresAtSec };
  k.session.set(c, s);
  await k.opts.onLogin?.(c, s);
  return c.redirect("/", 302);
}

/** The pre-login cookie the fallback form's CSRF token is bound to. */
function preSession(k: Kit, c: Context): string {
  const existing = getCookie(c, PRE_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const id = randomBytes(32).toString("base64url");
  setCookie(c, PRE_COOKIE, id, {
    httpOnly: true,
    secure: k.secure,
    sameSite: "Lax",
    path: "/login",
  });
  return id;
}

/** POST /login (fallback): password + TOTP through AuthClient.login. */
async function passwordLogin(k: Kit, c: Context): Promise<Response> {
  const form = await c.req.parseBody();
  const str = (key: string) => (typeof form[key] === "string" ? (form[key] as string) : "");
  if (!verifyCsrfToken(getCookie(c, PRE_COOKIE) ?? "", str("_csrf"), k.csrfKey))
    throw AppError.forbidden("missing or invalid CSRF token", "csrf_invalid");
  try {
    const r = await k.auth.login(str("username"), str("password"), str("totp_code") || undefined);
    return await establish(k, c, r.token, Math.floor(r.expiresAt.getTime() / 1000));
  } catch (e) {
    if (!(e instanceof AppError) || e.status >= 500) throw e;
    c.header("cache-control", "no-store");
    const page = passwordLoginPage(k.title, csrfToken(preSession(k, c), k.csrfKey), {
      username: str("username"),
      error: e.message,
    });
    return c.html(page, e.status === 429 ? 429 : e.status === 403 ? 403 : 401);
  }
}

/** GET /sso/redirect: new state + PKCE verifier in the state cookie, then off to MCIAS. */
function redirectToMcias(k: Kit, c: Context, sso: SsoClient): Response {
  const state = newState();
  const { verifier, challenge } = newPkce();
  k.stateStore.set(c, { state, verifier });
  const target = new URL("/sso/authorize", k.opts.mciasPublicUrl ?? k.opts.mciasUrl);
  target.search = new URLSearchParams({
    client_id: sso.clientId,
    redirect_uri: sso.redirectUri,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
  c.header("cache-control", "no-store");
  return c.redirect(target.toString(), 302);
}

/** GET /sso/callback: state check, then the code exchanged server to server. */
async function callback(k: Kit, c: Context, sso: SsoClient): Promise<Response> {
  const saved = k.stateStore.get(c);
  k.stateStore.clear(c);
  const code = c.req.query("code") ?? "";
  const state = c.req.query("state") ?? "";
  if (!saved || !state || !sameString(state, saved.state))
    throw bad("invalid_state", "sign-in state is missing, expired or does not match");
  if (!code) throw bad("invalid_request", "missing code");
  const res = await k.mcias.request("POST", "/v1/sso/token", {
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
  return establish(k, c, body.token, Math.floor(Date.parse(body.expires_at) / 1000));
}

/** The SsoOptions that come from a service's [sso] config section (unset keys left out). */
export function ssoClientOptions(
  sso: SsoConfig,
): Pick<SsoOptions, "clientId" | "redirectUri" | "mciasPublicUrl"> {
  return {
    ...(sso.client_id ? { clientId: sso.client_id } : {}),
    ...(sso.redirect_uri ? { redirectUri: sso.redirect_uri } : {}),
    ...(sso.mcias_public_url ? { mciasPublicUrl: sso.mcias_public_url } : {}),
  };
}

/** Registers the login routes on `app`; returns the session store the app reads. */
export function ssoRoutes(app: Hono, opts: SsoOptions): SessionStore<SsoSession> {
  const k = buildKit(opts);
  const sso: SsoClient | undefined =
    opts.clientId && opts.redirectUri
      ? { clientId: opts.clientId, redirectUri: opts.redirectUri }
      : undefined;
  const disabled = () => AppError.notFound("sso_disabled", "single sign-on is not configured");

  app.get("/login", (c) => {
    c.header("cache-control", "no-store");
    if (sso) return c.html(ssoLoginPage(k.title));
    return c.html(passwordLoginPage(k.title, csrfToken(preSession(k, c), k.csrfKey)));
  });
  if (!sso) app.post("/login", (c) => passwordLogin(k, c));
  app.get("/sso/redirect", (c) => {
    if (!sso) throw disabled();
    return redirectToMcias(k, c, sso);
  });
  app.get("/sso/callback", (c) => {
    if (!sso) throw disabled();
    return callback(k, c, sso);
  });
  return k.session;
}
