// The one HTTP app of MCAT: the web UI behind the one access map, SSO sign-in through MCIAS
// (mcdsl/sso). A page's token is the session cookie's (or an Authorization: Bearer header, for
// scripts and tests); a page request without one is sent to /login. Pages get a strict CSP (no inline script or style).
import { createHmac } from "node:crypto";
import { type AppEnv, accessMap, createApp, type TokenValidator } from "@metacircular/mcdsl/http";
import { bearerToken } from "@metacircular/mcdsl/identity";
import type { Logger } from "@metacircular/mcdsl/log";
import { keyList, type SessionKeys, type SessionStore } from "@metacircular/mcdsl/session";
import { type SsoOptions, type SsoSession, ssoRoutes } from "@metacircular/mcdsl/sso";
import type { Context, Hono } from "hono";
import type { PolicyAdmin } from "../policy/policy-admin.ts";
import { registerUi } from "../webserver/ui.ts";
import { accessRules } from "./access.ts";

export interface AppDeps {
  policy: PolicyAdmin;
  validator: TokenValidator;
  logger: Logger;
  version: string;
  web: Omit<SsoOptions, "title" | "onLogin"> & { sessionKeys: SessionKeys };
}

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function uiFrame(): (c: Context<AppEnv>, next: () => Promise<void>) => Promise<void> {
  return async (c, next) => {
    if (c.req.path.startsWith("/v1/")) return next();
    await next();
    c.header("content-security-policy", CSP);
    c.header("referrer-policy", "same-origin");
    if (c.res.status === 401 && c.req.method === "GET") c.res = c.redirect("/login", 302);
  };
}

export function buildApp(d: AppDeps): Hono<AppEnv> {
  const app = createApp({ service: "mcat", version: d.version, logger: d.logger });
  // ssoRoutes creates the session store after accessMap is registered (Hono runs handlers in
  // registration order); the access map reads the store per request.
  let session: SessionStore<SsoSession> | undefined;
  app.use(uiFrame());
  app.use(
    accessMap(accessRules, d.validator, {
      tokenFrom: (c) => bearerToken(c.req.header("Authorization")) ?? session?.get(c)?.token,
    }),
  );
  session = ssoRoutes(app as unknown as Hono, { ...d.web, title: "Sign in to MCAT" });
  const csrfKey = createHmac("sha256", keyList(d.web.sessionKeys)[0]!).update("mcat-csrf").digest();
  registerUi(app, { policy: d.policy, session, csrfKey, secure: d.web.secure ?? true });
  return app;
}
