// The web UI on the API's app: one access map for both (the UI's pages take the session cookie's
// token, the API only "Authorization: Bearer": a cookie never authenticates /v1), a strict CSP on
// every page, the MCIAS sign-in routes (mcdsl/sso) and the pages. A refused page request becomes
// an HTML page with the error's code; an unauthenticated GET goes to /login.

import { createHmac } from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";
import { type AppEnv, accessMap, type TokenValidator } from "@metacircular/mcdsl/http";
import { bearerToken } from "@metacircular/mcdsl/identity";
import { keyList, type SessionKeys, type SessionStore } from "@metacircular/mcdsl/session";
import { type SsoOptions, type SsoSession, ssoRoutes } from "@metacircular/mcdsl/sso";
import { KIT_PREFIX } from "@metacircular/mcdsl/web";
import type { Context, Hono, Next } from "hono";
import { accessRules } from "../server/access.ts";
import type { MetacryptOps } from "../service/ops.ts";
import { errorPage } from "./frame.tsx";
import { registerUi } from "./ui.ts";

export type WebOptions = Omit<SsoOptions, "title" | "onLogin"> & { sessionKeys: SessionKeys };

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function isApiPath(path: string): boolean {
  return path === "/v1" || path.startsWith("/v1/");
}

function uiFrame() {
  return async (c: Context<AppEnv>, next: Next) => {
    if (isApiPath(c.req.path)) return next();
    await next();
    const err = c.error;
    if (err instanceof AppError && err.status === 401 && c.req.method === "GET")
      c.res = c.redirect("/login", 302);
    else if (err instanceof AppError) c.res = c.html(await errorPage(err), err.status as 400);
    c.header("content-security-policy", CSP);
    c.header("referrer-policy", "same-origin");
    if (!c.req.path.startsWith(KIT_PREFIX)) c.header("cache-control", "no-store");
  };
}

/** Registers the access map (API + UI), the sign-in routes and the pages on `app`. */
export function installWeb(
  app: Hono<AppEnv>,
  o: { ops: MetacryptOps; validator: TokenValidator; web: WebOptions; version: string },
): void {
  let session: SessionStore<SsoSession> | undefined;
  app.use(uiFrame());
  app.use(
    accessMap(accessRules, o.validator, {
      tokenFrom: (c) =>
        bearerToken(c.req.header("Authorization")) ??
        (isApiPath(c.req.path) ? undefined : session?.get(c)?.token),
    }),
  );
  session = ssoRoutes(app as unknown as Hono, { ...o.web, title: "Sign in to Metacrypt" });
  const csrfKey = createHmac("sha256", keyList(o.web.sessionKeys)[0]!)
    .update("metacrypt-csrf")
    .digest();
  registerUi(app, {
    ops: o.ops,
    session,
    csrfKey,
    secure: o.web.secure ?? true,
    version: o.version,
  });
}
