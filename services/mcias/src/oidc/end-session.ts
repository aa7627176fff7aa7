// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0), GET or POST /oauth2/logout:
//   id_token_hint             an ID token MCIAS issued (signature and issuer checked; it may
//                             have expired); names the client and the user
//   client_id                 the client, when there is no hint (must agree with the hint)
//   post_logout_redirect_uri  where to send the browser afterwards: exactly one of the
//                             client's registered post_logout_redirect_uris
//   state                     passed back to that URI unchanged
// With a hint for the session's user the browser session ends at once; otherwise (no hint, or
// a hint for somebody else) the user confirms on a page first, so a third-party site cannot
// sign people out by linking here (Keycloak does the same). Bad requests get an HTML error
// page and are never redirected.
import { randomBytes } from "node:crypto";
import { csrfToken, verifyCsrfToken } from "@metacircular/mcdsl/csrf";
import type { Context } from "hono";
import { preSessionId, presentedPreSession } from "../auth/pre-session.ts";
import { clientIp } from "../server/request.ts";
import type { Router } from "../server/router.ts";
import { escapeHtml } from "../sso/login-page.ts";
import { PRE_SESSION } from "./authorize.ts";
import type { OidcClient } from "./clients.ts";
import { formParams, type OAuthParams, queryParams } from "./params.ts";
import type { OidcProvider } from "./provider.ts";

export const END_SESSION_PATH = "/oauth2/logout";

class LogoutError extends Error {}

interface LogoutRequest {
  client?: OidcClient;
  /** The user the ID token hint names (its sub). */
  hintSubject?: string;
  redirect?: string;
  state?: string;
}

function parseLogout(p: OidcProvider, params: OAuthParams): LogoutRequest {
  if (params.repeated.length > 0)
    throw new LogoutError(`parameter ${params.repeated[0]} is repeated`);
  const v = params.values;
  let hint: Record<string, unknown> | undefined;
  if (v.id_token_hint) {
    hint = p.keys.verifyJwt(v.id_token_hint);
    if (!hint || hint.iss !== p.issuer || typeof hint.sub !== "string")
      throw new LogoutError("id_token_hint is not an ID token issued by MCIAS");
  }
  const hintClient = typeof hint?.aud === "string" ? hint.aud : undefined;
  if (v.client_id && hintClient && v.client_id !== hintClient)
    throw new LogoutError("client_id does not match the id_token_hint");
  const clientId = v.client_id || hintClient;
  const client = clientId ? p.clients.get(clientId) : undefined;
  if (clientId && !client) throw new LogoutError("unknown client_id");
  const redirect = v.post_logout_redirect_uri || undefined;
  if (redirect !== undefined) {
    if (!client) throw new LogoutError("post_logout_redirect_uri needs id_token_hint or client_id");
    if (!client.postLogoutRedirectUris.includes(redirect))
      throw new LogoutError("post_logout_redirect_uri is not registered for this client");
  }
  const state = v.state ? v.state.slice(0, 1024) : undefined;
  return {
    ...(client ? { client } : {}),
    ...(typeof hint?.sub === "string" ? { hintSubject: hint.sub } : {}),
    ...(redirect ? { redirect } : {}),
    ...(state ? { state } : {}),
  };
}

function shell(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} - MCIAS</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/mcias.css"></head>
<body><main>
${body}
</main></body></html>`;
}

function page(c: Context, status: 200 | 400, html: string, formTarget?: string): Response {
  c.header("cache-control", "no-store");
  c.header("x-frame-options", "DENY");
  c.header(
    "content-security-policy",
    `default-src 'none'; style-src 'self'; form-action 'self'${formTarget ? ` ${new URL(formTarget).origin}` : ""}; frame-ancestors 'none'`,
  );
  return c.html(html, status) as Response;
}

const failed = (c: Context, detail: string) =>
  page(c, 400, shell("Sign-out failed", `<h1>Sign-out failed</h1>${detail}`));

/** Back to the client's registered URI with its state, or the "signed out" page. */
function finish(c: Context, q: LogoutRequest): Response {
  if (!q.redirect)
    return page(
      c,
      200,
      shell("Signed out", '<h1 id="signed-out">You are signed out of MCIAS</h1>'),
    );
  const u = new URL(q.redirect);
  if (q.state !== undefined) u.searchParams.set("state", q.state);
  c.header("cache-control", "no-store");
  return c.redirect(u.toString(), 302);
}

/** The confirmation page: a POST form carrying the request and a CSRF token. */
function confirm(c: Context, csrfKey: Buffer, q: LogoutRequest, username: string): Response {
  const e = escapeHtml;
  const hidden = Object.entries({
    _csrf: csrfToken(preSessionId(c, PRE_SESSION), csrfKey),
    confirm: "yes",
    ...(q.client ? { client_id: q.client.id } : {}),
    ...(q.redirect ? { post_logout_redirect_uri: q.redirect } : {}),
    ...(q.state ? { state: q.state } : {}),
  })
    .map(([k, v]) => `<input type="hidden" name="${e(k)}" value="${e(v)}">`)
    .join("");
  const body = `<h1>Sign out of MCIAS?</h1>
<p>You are signed in as <strong>${e(username)}</strong>${q.client ? ` (asked by ${e(q.client.id)})` : ""}.</p>
<form method="post" action="${END_SESSION_PATH}" id="logout-form">${hidden}
<button type="submit">Sign out</button></form>`;
  return page(c, 200, shell("Sign out", body), q.redirect);
}

/** The request's parameters (query or form), or the error page for a POST that is no form. */
async function readParams(c: Context): Promise<OAuthParams | Response> {
  if (c.req.method === "GET") return queryParams(c, 16_384);
  if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header("content-type") ?? ""))
    return failed(c, "<p>The request must be a form.</p>");
  return formParams(c, 16_384);
}

async function endSession(p: OidcProvider, csrfKey: Buffer, c: Context): Promise<Response> {
  const params = await readParams(c);
  if (params instanceof Response) return params;
  let q: LogoutRequest;
  try {
    q = parseLogout(p, params);
  } catch (e) {
    if (!(e instanceof LogoutError)) throw e;
    return failed(c, `<p id="error">${escapeHtml(e.message)}</p>`);
  }
  const session = p.sessions.current(c);
  if (!session) return finish(c, q);
  const confirmed =
    c.req.method === "POST" &&
    params.values.confirm === "yes" &&
    verifyCsrfToken(presentedPreSession(c, PRE_SESSION), params.values._csrf ?? "", csrfKey);
  if (!confirmed && q.hintSubject !== session.accountId)
    return confirm(c, csrfKey, q, session.username);
  p.sessions.end(c, session);
  p.core.audit.append({
    event: "oidc_logout",
    outcome: "success",
    subject: session.username,
    ip: clientIp(c, p.core.cfg.trusted_proxies),
    detail: {
      jti: session.tokenId,
      client_id: q.client?.id ?? null,
      via: confirmed ? "confirmation" : "id_token_hint",
    },
  });
  return finish(c, q);
}

export function registerEndSession(r: Router, p: OidcProvider): void {
  const csrfKey = randomBytes(32);
  const handler = (c: Context) => endSession(p, csrfKey, c);
  r.add("GET", END_SESSION_PATH, handler);
  r.add("POST", END_SESSION_PATH, handler);
}
