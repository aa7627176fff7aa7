// SSO authorization-code flow with PKCE (S256) for platform services:
//   GET  /sso/authorize   validate client + exact redirect_uri, render the login form
//   POST /sso/authorize   password (+TOTP) through the normal login pipeline → 302 with code
//   POST /v1/sso/token    code + verifier → {token, expires_at}
// An unknown client or a redirect_uri that is not registered byte for byte answers a JSON 400:
// MCIAS never redirects anywhere it was not configured to.
import { randomBytes } from "node:crypto";
import { csrfToken, verifyCsrfToken } from "@metacircular/mcdsl/csrf";
import { AppError } from "@metacircular/mcdsl/errors";
import { readJson } from "@metacircular/mcdsl/http";
import type { Context } from "hono";
import { z } from "zod";
import type { Core } from "../app.ts";
import { browserFormLogin } from "../auth/browser-login.ts";
import { type PreSessionCookie, preSessionId, presentedPreSession } from "../auth/pre-session.ts";
import { iso } from "../server/request.ts";
import type { Router } from "../server/router.ts";
import { SsoCodeStore } from "./codes.ts";
import { loginPage } from "./login-page.ts";

const PRE_SESSION: PreSessionCookie = { name: "mcias_sso_pre", path: "/sso/" };

const authorizeParams = z.object({
  client_id: z.string().min(1).max(128),
  redirect_uri: z.string().min(1).max(2048),
  state: z.string().min(1).max(512),
  code_challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "must be base64url SHA-256"),
  code_challenge_method: z.literal("S256"),
});
type AuthorizeParams = z.infer<typeof authorizeParams>;

const tokenSchema = z.object({
  client_id: z.string().min(1).max(128),
  code: z.string().min(1).max(256),
  redirect_uri: z.string().min(1).max(2048),
  code_verifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/, "must be an RFC 7636 verifier"),
});

function clientFor(core: Core, clientId: string, redirectUri: string) {
  const client = core.cfg.sso_clients.find((x) => x.client_id === clientId);
  if (!client) throw AppError.badRequest("invalid_client", "unknown client_id");
  if (client.redirect_uri !== redirectUri)
    throw AppError.badRequest("invalid_redirect_uri", "redirect_uri is not registered");
  return client;
}

function parseParams(raw: Record<string, unknown>): AuthorizeParams {
  const r = authorizeParams.safeParse(raw);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw AppError.badRequest("invalid_request", `${i.path.join(".")}: ${i.message}`);
}

/** form-action must also allow the client's origin: browsers apply it to the 302 that follows. */
function pageHeaders(c: Context, redirectUri: string): void {
  c.header("cache-control", "no-store");
  c.header("x-frame-options", "DENY");
  c.header(
    "content-security-policy",
    `default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self' ${new URL(redirectUri).origin}; frame-ancestors 'none'`,
  );
}

/** What the flow's handlers share: the code store and the CSRF key of the login form. */
interface Flow {
  core: Core;
  codes: SsoCodeStore;
  csrfKey: Buffer;
}

function newFlow(core: Core): Flow {
  // A code presented twice may have leaked: revoke the token it stood for (RFC 6749 §4.1.2).
  const codes = new SsoCodeStore(core.now, (g) => {
    if (g.jti && core.tokens.revoke(g.jti, "code_reuse"))
      core.audit.append({
        event: "sso_code_reuse",
        outcome: "denied",
        detail: { client_id: g.clientId, jti: g.jti },
      });
  });
  return { core, codes, csrfKey: randomBytes(32) };
}

function render(
  f: Flow,
  c: Context,
  p: AuthorizeParams,
  status: 200 | 401 | 403 | 429,
  extra = {},
): Response | Promise<Response> {
  const client = clientFor(f.core, p.client_id, p.redirect_uri);
  pageHeaders(c, client.redirect_uri);
  const html = loginPage({
    serviceName: client.service_name,
    action: "/sso/authorize",
    hidden: {
      client_id: p.client_id,
      redirect_uri: p.redirect_uri,
      state: p.state,
      code_challenge: p.code_challenge,
      code_challenge_method: "S256",
    },
    csrf: csrfToken(preSessionId(c, PRE_SESSION), f.csrfKey),
    ...extra,
  });
  return c.html(html, status);
}

/** POST /sso/authorize: the login form; a sign-in answers 302 redirect_uri?code&state. */
async function submitAuthorize(f: Flow, c: Context): Promise<Response> {
  const core = f.core;
  const form = await c.req.parseBody();
  const str = (k: string) => (typeof form[k] === "string" ? (form[k] as string) : "");
  const client = clientFor(core, str("client_id"), str("redirect_uri"));
  const p = parseParams(form);
  const pre = presentedPreSession(c, PRE_SESSION);
  if (!verifyCsrfToken(pre, str("_csrf"), f.csrfKey))
    throw AppError.forbidden("missing or invalid CSRF token", "csrf_invalid");
  const login = await browserFormLogin(core, c, str, client.service_name);
  if (login.kind === "refused") {
    return render(f, c, p, login.status, { error: login.error, username: login.username });
  }
  const res = login.result;
  const code = f.codes.issue({
    clientId: client.client_id,
    redirectUri: client.redirect_uri,
    codeChallenge: p.code_challenge,
    token: res.token,
    tokenExpiresAt: res.expiresAt,
    jti: res.jti,
  });
  const target = new URL(client.redirect_uri);
  target.searchParams.set("code", code);
  target.searchParams.set("state", p.state);
  c.header("cache-control", "no-store");
  return c.redirect(target.toString(), 302);
}

/** POST /v1/sso/token: code + verifier → the login token. */
async function redeemCode(f: Flow, c: Context): Promise<Response> {
  const b = await readJson(c, tokenSchema);
  const client = f.core.cfg.sso_clients.find((x) => x.client_id === b.client_id);
  if (!client) throw AppError.badRequest("invalid_client", "unknown client_id");
  const g = f.codes.redeem({
    clientId: b.client_id,
    code: b.code,
    redirectUri: b.redirect_uri,
    codeVerifier: b.code_verifier,
  });
  c.header("cache-control", "no-store");
  return c.json({ token: g.token, expires_at: iso(g.tokenExpiresAt) });
}

export function registerSsoRoutes(r: Router, core: Core): void {
  const f = newFlow(core);
  r.add("GET", "/sso/authorize", (c) => {
    const q = c.req.query();
    clientFor(core, String(q.client_id ?? ""), String(q.redirect_uri ?? ""));
    return render(f, c, parseParams(q), 200);
  });
  r.add("POST", "/sso/authorize", (c) => submitAuthorize(f, c));
  // The registered platform clients (config-managed, so read-only here; mciasctl sso list).
  r.add("GET", "/v1/sso/clients", (c) =>
    c.json({
      clients: core.cfg.sso_clients.map((x) => ({
        client_id: x.client_id,
        redirect_uri: x.redirect_uri,
        service_name: x.service_name,
      })),
    }),
  );
  r.add("POST", "/v1/sso/token", (c) => redeemCode(f, c));
}
