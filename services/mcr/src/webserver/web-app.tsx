// MCR's web UI as its own Hono app, served on a separate plain-HTTP listener on loopback behind
// an MC-Proxy L7 route (the registry listener stays TLS with no cookies at all). Sign-in is
// mcdsl/sso (MCIAS SSO, or the password form when no SSO client is configured); pages take the
// MCIAS token from the session cookie, never from anything else; every mutation carries the
// session's CSRF token; pages get a strict CSP; an unauthenticated page request goes to /login.
import { createHmac } from "node:crypto";
import { csrfProtection } from "@metacircular/mcdsl/csrf";
import { AppError } from "@metacircular/mcdsl/errors";
import {
  type AppEnv,
  accessMap,
  createApp,
  renderError,
  type TokenValidator,
} from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import { keyList, type SessionKeys, type SessionStore } from "@metacircular/mcdsl/session";
import { type SsoOptions, type SsoSession, ssoRoutes } from "@metacircular/mcdsl/sso";
import { KIT_ROUTE, renderPage, webKitAssets } from "@metacircular/mcdsl/web";
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { RegistryAdmin } from "../registry/admin-ops.ts";
import { uiAccess } from "./access.ts";
import { registerUiRoutes } from "./ui-routes.tsx";

export interface WebDeps {
  admin: RegistryAdmin;
  validator: TokenValidator;
  logger: Logger;
  version: string;
  sso: Omit<SsoOptions, "title" | "onLogin" | "sessionKeys"> & { sessionKeys: SessionKeys };
}

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Login, its redirects and the static kit carry their own protection (or need none). */
function csrfExempt(path: string): boolean {
  return (
    path === "/login" ||
    path.startsWith("/sso/") ||
    path.startsWith("/_kit/") ||
    path === "/v1/health"
  );
}

/** An error as a page (the API's JSON envelope is no use in a browser). */
async function errorPage(err: Error, c: Context<AppEnv>): Promise<Response> {
  if (!(err instanceof AppError) || err.status >= 500) return renderError(err, c);
  if (err.status === 401 && c.req.method === "GET") return c.redirect("/login", 302);
  const page = await renderPage({
    app: "MCR",
    title: err.status === 403 ? "Not allowed" : err.status === 404 ? "Not found" : "Refused",
    narrow: true,
    flash: [{ kind: "error", text: err.message, id: "error" }],
    children: (
      <p>
        <a href="/">Back to the repositories</a>
      </p>
    ),
  });
  return c.html(page, err.status as 400);
}

export function buildWebApp(d: WebDeps): Hono<AppEnv> {
  const app = createApp({ service: "mcr-web", version: d.version, logger: d.logger });
  let session: SessionStore<SsoSession> | undefined;
  app.use(async (c, next) => {
    await next();
    c.header("content-security-policy", CSP);
    c.header("referrer-policy", "same-origin");
    if (c.res.status === 401 && c.req.method === "GET") c.res = c.redirect("/login", 302);
  });
  app.use(accessMap(uiAccess, d.validator, { tokenFrom: (c) => session?.get(c)?.token }));
  session = ssoRoutes(app as unknown as Hono, { ...d.sso, title: "Sign in to MCR" });
  const csrfKey = createHmac("sha256", keyList(d.sso.sessionKeys)[0]!).update("mcr-csrf").digest();
  const csrf = csrfProtection({
    key: csrfKey,
    sessionId: (c) => session?.get(c)?.token,
    secure: d.sso.secure ?? true,
  }) as unknown as MiddlewareHandler<AppEnv>;
  app.use(async (c, next) => (csrfExempt(c.req.path) ? next() : csrf(c, next)));
  const kit = webKitAssets();
  app.get(KIT_ROUTE, (c) => kit.serve(c.req.param("file")) ?? c.notFound());
  app.post("/logout", (c) => {
    session?.clear(c);
    return c.redirect("/login", 303);
  });
  registerUiRoutes(app, d.admin);
  app.onError(errorPage);
  return app;
}
