// The authorization endpoint (code flow only):
//   GET  /oauth2/authorize   validate the request; a browser with an MCIAS browser session
//                            (src/oidc/browser-session.ts) gets its code at once, any other
//                            the shared login form
//   POST /oauth2/authorize   the form: formLogin (throttling, factors, the login policy of the
//                            client's service_name, audit) → browser session started →
//                            302 redirect_uri?code&state&iss
// prompt=login and an exceeded max_age show the form despite a session; prompt=none never
// shows it: without a usable session it answers login_required (OIDC Core §3.1.2.6).
import { randomBytes } from "node:crypto";
import { csrfToken, verifyCsrfToken } from "@metacircular/mcdsl/csrf";
import { AppError } from "@metacircular/mcdsl/errors";
import type { Context } from "hono";
import type { Account } from "../accounts/accounts.ts";
import { browserFormLogin } from "../auth/browser-login.ts";
import { FORM_ERRORS } from "../auth/form-login.ts";
import { decideLoginPolicy } from "../auth/login.ts";
import { type PreSessionCookie, preSessionId, presentedPreSession } from "../auth/pre-session.ts";
import { clientIp } from "../server/request.ts";
import type { Router } from "../server/router.ts";
import { loginPage } from "../sso/login-page.ts";
import type { IssuedToken, TokenIdentity } from "../tokens/tokens.ts";
import {
  type AuthorizeRequest,
  carriedFields,
  parseAuthorizeRequest,
  RedirectError,
} from "./authorize-request.ts";
import { OAuthError, oauthErrorResponse } from "./errors.ts";
import { formParams, queryParams } from "./params.ts";
import type { OidcProvider } from "./provider.ts";

export const PRE_SESSION: PreSessionCookie = { name: "mcias_oidc_pre", path: "/oauth2/" };
export const AUTHORIZE_PATH = "/oauth2/authorize";
const MAX_PARAM = 32 * 1024;

/** The user's sign-in the code stands for. */
interface SignedIn {
  account: Account;
  access: IssuedToken;
  authTime: number;
  via: "login_form" | "browser_session";
}

/** What the endpoint's functions share: the provider and the CSRF key of its login form. */
interface Endpoint {
  p: OidcProvider;
  csrfKey: Buffer;
}

function redirectError(p: OidcProvider, c: Context, e: RedirectError): Response {
  const u = new URL(e.redirectUri);
  u.searchParams.set("error", e.error);
  u.searchParams.set("error_description", e.description);
  if (e.state !== undefined) u.searchParams.set("state", e.state);
  u.searchParams.set("iss", p.issuer);
  c.header("cache-control", "no-store");
  return c.redirect(u.toString(), 302);
}

async function handle(p: OidcProvider, c: Context, fn: () => Promise<Response> | Response) {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof RedirectError) return redirectError(p, c, e);
    return oauthErrorResponse(c, e);
  }
}

function render(
  ep: Endpoint,
  c: Context,
  q: AuthorizeRequest,
  status: 200 | 401 | 403 | 429,
  extra = {},
): Response | Promise<Response> {
  c.header("cache-control", "no-store");
  c.header("x-frame-options", "DENY");
  // form-action must allow the client's origin too: browsers apply it to the 302 that follows.
  c.header(
    "content-security-policy",
    `default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self' ${new URL(q.redirectUri).origin}; frame-ancestors 'none'`,
  );
  const html = loginPage({
    serviceName: q.client.serviceName,
    action: AUTHORIZE_PATH,
    hidden: carriedFields(q),
    csrf: csrfToken(preSessionId(c, PRE_SESSION), ep.csrfKey),
    ...extra,
  });
  return c.html(html, status);
}

function issueCode(p: OidcProvider, c: Context, q: AuthorizeRequest, s: SignedIn): Response {
  const grantId = p.newGrantId();
  const code = p.codes.issue({
    clientId: q.client.id,
    redirectUri: q.redirectUri,
    codeChallenge: q.codeChallenge,
    nonce: q.nonce,
    access: s.access,
    grant: {
      grantId,
      clientId: q.client.id,
      accountId: s.account.id,
      scope: q.scope,
      authTime: s.authTime,
    },
  });
  p.core.audit.append({
    event: "oidc_code_issued",
    outcome: "success",
    subject: s.account.username,
    ip: clientIp(c, p.core.cfg.trusted_proxies),
    detail: {
      client_id: q.client.id,
      scope: q.scope,
      grant: grantId,
      jti: s.access.jti,
      via: s.via,
    },
  });
  const target = new URL(q.redirectUri);
  target.searchParams.set("code", code);
  if (q.state !== undefined) target.searchParams.set("state", q.state);
  target.searchParams.set("iss", p.issuer);
  c.header("cache-control", "no-store");
  return c.redirect(target.toString(), 302);
}

/**
 * Single sign-on: the session's user, if the request accepts its sign-in time and the login
 * policy of the client's service allows them (evaluated and audited as for a login).
 */
function fromSession(
  p: OidcProvider,
  c: Context,
  q: AuthorizeRequest,
  s: TokenIdentity,
): SignedIn | RedirectError | undefined {
  const core = p.core;
  if (q.prompt.includes("login")) return undefined;
  if (q.maxAgeS !== undefined && core.now() - s.authTime > q.maxAgeS * 1000) return undefined;
  const account = core.accounts.byId(s.accountId);
  if (account?.status !== "active") return undefined;
  const ip = clientIp(c, core.cfg.trusted_proxies);
  const ctx = { serviceName: q.client.serviceName, tags: [] };
  if (decideLoginPolicy(core, account, ctx, ip, { via: "oidc_browser_session" }).effect === "deny")
    return new RedirectError(
      "access_denied",
      `${account.username} is not permitted to sign in to ${q.client.serviceName}`,
      q.redirectUri,
      q.state,
    );
  const ttl = core.cfg.tokens.login_ttl_s * 1000;
  const access = core.tokens.issue(account, "login", q.client.serviceName, ttl, {
    authTime: s.authTime,
  });
  return { account, access, authTime: s.authTime, via: "browser_session" };
}

/** GET: a code at once from the browser session, login_required, or the form. */
function showAuthorize(ep: Endpoint, c: Context): Response | Promise<Response> {
  const { p } = ep;
  const q = parseAuthorizeRequest(p.clients, queryParams(c, MAX_PARAM));
  const session = p.sessions.current(c);
  const signedIn = session ? fromSession(p, c, q, session) : undefined;
  if (signedIn instanceof RedirectError) {
    if (q.prompt.includes("none")) throw signedIn;
    // Another account may be allowed: offer the form.
    return render(ep, c, q, 403, { error: FORM_ERRORS.login_denied });
  }
  if (signedIn) return issueCode(p, c, q, signedIn);
  if (q.prompt.includes("none"))
    throw new RedirectError(
      "login_required",
      "the user is not signed in at MCIAS",
      q.redirectUri,
      q.state,
    );
  // login_hint (OIDC Core §3.1.2.1) pre-fills the username field.
  const hint = c.req.query("login_hint")?.slice(0, 256);
  return render(ep, c, q, 200, hint ? { username: hint } : {});
}

/** POST: the login form; a sign-in starts the browser session and answers with the code. */
async function submitAuthorize(ep: Endpoint, c: Context): Promise<Response> {
  const { p } = ep;
  const core = p.core;
  const params = await formParams(c, MAX_PARAM);
  const q = parseAuthorizeRequest(p.clients, params);
  const field = (k: string) => params.values[k] ?? "";
  if (!verifyCsrfToken(presentedPreSession(c, PRE_SESSION), field("_csrf"), ep.csrfKey))
    throw new OAuthError("invalid_request", "missing or invalid CSRF token", 403);
  const login = await browserFormLogin(core, c, field, q.client.serviceName);
  if (login.kind === "refused") {
    return render(ep, c, q, login.status, { error: login.error, username: login.username });
  }
  const res = login.result;
  const account = core.accounts.find(res.username);
  if (!account) throw AppError.internal("account vanished during login");
  const authTime = core.now();
  p.sessions.start(c, account, authTime);
  const access = { token: res.token, jti: res.jti, expiresAt: res.expiresAt };
  return issueCode(p, c, q, { account, access, authTime, via: "login_form" });
}

export function registerAuthorize(r: Router, p: OidcProvider): void {
  const ep: Endpoint = { p, csrfKey: randomBytes(32) };
  r.add("GET", AUTHORIZE_PATH, (c) => handle(p, c, () => showAuthorize(ep, c)));
  r.add("POST", AUTHORIZE_PATH, (c) => handle(p, c, () => submitAuthorize(ep, c)));
}
