// The authorization endpoint (code flow only):
//   GET  /oauth2/authorize   validate the request, render the shared login form
//   POST /oauth2/authorize   the form: formLogin (throttling, factors, the login policy of the
//                            client's service_name, audit) → 302 redirect_uri?code&state&iss
// MCIAS keeps no browser session of its own, so every authorization is a fresh login:
// prompt=login is always satisfied and prompt=none answers login_required.
import { randomBytes } from "node:crypto";
import { csrfToken, verifyCsrfToken } from "@metacircular/mcdsl/csrf";
import { AppError } from "@metacircular/mcdsl/errors";
import type { Context } from "hono";
import { deviceCookie, setDeviceCookie } from "../auth/device-cookie.ts";
import { FORM_ERRORS, formLogin } from "../auth/form-login.ts";
import { type PreSessionCookie, preSessionId, presentedPreSession } from "../auth/pre-session.ts";
import { clientIp } from "../server/request.ts";
import type { Router } from "../server/router.ts";
import { loginPage } from "../sso/login-page.ts";
import {
  type AuthorizeRequest,
  carriedFields,
  parseAuthorizeRequest,
  RedirectError,
} from "./authorize-request.ts";
import { OAuthError, oauthErrorResponse } from "./errors.ts";
import type { OidcProvider } from "./provider.ts";

const PRE_SESSION: PreSessionCookie = { name: "mcias_oidc_pre", path: "/oauth2/" };
export const AUTHORIZE_PATH = "/oauth2/authorize";

function strings(raw: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(raw))
    if (typeof v === "string") out[k] = v.slice(0, 32 * 1024);
  return out;
}

export function registerAuthorize(r: Router, p: OidcProvider): void {
  const core = p.core;
  const csrfKey = randomBytes(32);

  const redirectError = (c: Context, e: RedirectError) => {
    const u = new URL(e.redirectUri);
    u.searchParams.set("error", e.error);
    u.searchParams.set("error_description", e.description);
    if (e.state !== undefined) u.searchParams.set("state", e.state);
    u.searchParams.set("iss", p.issuer);
    c.header("cache-control", "no-store");
    return c.redirect(u.toString(), 302);
  };

  const handle = async (c: Context, fn: () => Promise<Response> | Response) => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof RedirectError) return redirectError(c, e);
      return oauthErrorResponse(c, e);
    }
  };

  const render = (c: Context, q: AuthorizeRequest, status: 200 | 401 | 403 | 429, extra = {}) => {
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
      csrf: csrfToken(preSessionId(c, PRE_SESSION), csrfKey),
      ...extra,
    });
    return c.html(html, status);
  };

  r.add("GET", AUTHORIZE_PATH, (c) =>
    handle(c, () => {
      const q = parseAuthorizeRequest(p.clients, strings(c.req.query()));
      if (q.prompt.includes("none"))
        throw new RedirectError(
          "login_required",
          "MCIAS keeps no session; the user must sign in",
          q.redirectUri,
          q.state,
        );
      // login_hint (OIDC Core §3.1.2.1) pre-fills the username field.
      const hint = c.req.query("login_hint")?.slice(0, 256);
      return render(c, q, 200, hint ? { username: hint } : {});
    }),
  );

  r.add("POST", AUTHORIZE_PATH, (c) =>
    handle(c, async () => {
      const form = strings(await c.req.parseBody());
      const q = parseAuthorizeRequest(p.clients, form);
      const field = (k: string) => form[k] ?? "";
      if (!verifyCsrfToken(presentedPreSession(c, PRE_SESSION), field("_csrf"), csrfKey))
        throw new OAuthError("invalid_request", "missing or invalid CSRF token", 403);
      let res: Awaited<ReturnType<typeof formLogin>>;
      try {
        res = await formLogin(core, field, {
          serviceName: q.client.serviceName,
          tags: [],
          ip: clientIp(c, core.cfg.trusted_proxies),
          deviceToken: deviceCookie(c),
        });
      } catch (e) {
        const message = e instanceof AppError ? FORM_ERRORS[e.code] : undefined;
        if (!(e instanceof AppError) || !message) throw e;
        if (e.retryAfter) c.header("retry-after", String(e.retryAfter));
        const status = e.status === 429 ? 429 : e.status === 403 ? 403 : 401;
        return render(c, q, status, { error: message, username: field("username").slice(0, 256) });
      }
      setDeviceCookie(c, res.deviceToken, core.cfg.protection.device_ttl_days);
      const account = core.accounts.find(res.username);
      if (!account) throw AppError.internal("account vanished during login");
      const grantId = p.newGrantId();
      const code = p.codes.issue({
        clientId: q.client.id,
        redirectUri: q.redirectUri,
        codeChallenge: q.codeChallenge,
        nonce: q.nonce,
        access: { token: res.token, jti: res.jti, expiresAt: res.expiresAt },
        grant: {
          grantId,
          clientId: q.client.id,
          accountId: account.id,
          scope: q.scope,
          authTime: core.now(),
        },
      });
      core.audit.append({
        event: "oidc_code_issued",
        outcome: "success",
        subject: account.username,
        ip: clientIp(c, core.cfg.trusted_proxies),
        detail: { client_id: q.client.id, scope: q.scope, grant: grantId, jti: res.jti },
      });
      const target = new URL(q.redirectUri);
      target.searchParams.set("code", code);
      if (q.state !== undefined) target.searchParams.set("state", q.state);
      target.searchParams.set("iss", p.issuer);
      c.header("cache-control", "no-store");
      return c.redirect(target.toString(), 302);
    }),
  );
}
