// The one HTTP app of MCQ: REST API (/v1), MCP over Streamable HTTP (/mcp) and the web UI, all
// behind the one access map. REST and MCP take "Authorization: Bearer"; the UI's pages take the
// session cookie's token (never the API: a cookie must not authenticate /v1 or /mcp). UI pages
// get a strict CSP and go out compressed; an unauthenticated page request is sent to /login.
import { createHmac } from "node:crypto";
import { type AppEnv, accessMap, createApp, type TokenValidator } from "@metacircular/mcdsl/http";
import { bearerToken } from "@metacircular/mcdsl/identity";
import type { Logger } from "@metacircular/mcdsl/log";
import { keyList, type SessionKeys, type SessionStore } from "@metacircular/mcdsl/session";
import { type SsoOptions, type SsoSession, ssoRoutes } from "@metacircular/mcdsl/sso";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { compress } from "hono/compress";
import type { Health } from "../admin/health.ts";
import type { Sessions } from "../auth/sessions.ts";
import type { Documents } from "../documents/documents.ts";
import { registerMcpRoute } from "../mcp/http.ts";
import { registerUi } from "../webserver/ui.ts";
import { accessRules } from "./access.ts";
import { registerRestRoutes } from "./routes.ts";

export interface AppDeps {
  docs: Documents;
  sessions: Sessions;
  health: Health;
  validator: TokenValidator;
  logger: Logger;
  version: string;
  maxBytes: number;
  /** Web UI; absent = REST and MCP only. */
  web?: Omit<SsoOptions, "title" | "onLogin"> & { sessionKeys: SessionKeys };
  mcpHttp: boolean;
}

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function isApiPath(path: string): boolean {
  return path === "/v1" || path.startsWith("/v1/") || path === "/mcp";
}

function uiFrame(): (c: Context<AppEnv>, next: () => Promise<void>) => Promise<void> {
  return async (c, next) => {
    if (isApiPath(c.req.path)) return next();
    await next();
    c.header("content-security-policy", CSP);
    c.header("referrer-policy", "same-origin");
    if (c.res.status === 401 && c.req.method === "GET") c.res = c.redirect("/login", 302);
  };
}

export function buildApp(d: AppDeps): Hono<AppEnv> {
  // JSON bodies carry the markdown: leave room for escaping above the document limit.
  const app = createApp({
    service: "mcq",
    version: d.version,
    logger: d.logger,
    bodyLimit: d.maxBytes * 2 + 64 * 1024,
    health: () => d.health.ready(),
  });
  const web = d.web;
  // ssoRoutes creates the session store; it registers routes, so it runs after accessMap (Hono
  // runs handlers in registration order) and the access map reads the store per request.
  let session: SessionStore<SsoSession> | undefined;
  app.use(uiFrame());
  // Pages and their assets go out compressed (gzip/deflate as the browser accepts): a reader
  // page is mostly highlighted HTML, which shrinks about tenfold.
  const squeeze = compress() as MiddlewareHandler<AppEnv>;
  app.use(async (c, next) => (isApiPath(c.req.path) ? next() : squeeze(c, next)));
  app.use(
    accessMap(accessRules, d.validator, {
      tokenFrom: (c) =>
        bearerToken(c.req.header("Authorization")) ??
        (isApiPath(c.req.path) ? undefined : session?.get(c)?.token),
    }),
  );
  registerRestRoutes(app, d.docs, d.sessions);
  if (d.mcpHttp) registerMcpRoute(app, d.docs, d.version);
  if (web) {
    session = ssoRoutes(app as unknown as Hono, { ...web, title: "Sign in to MCQ" });
    const csrfKey = createHmac("sha256", keyList(web.sessionKeys)[0]!).update("mcq-csrf").digest();
    registerUi(app, { docs: d.docs, session, csrfKey, secure: web.secure ?? true });
  }
  return app;
}
