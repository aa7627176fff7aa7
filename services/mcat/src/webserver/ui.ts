import { join } from "node:path";
import { csrfProtection } from "@metacircular/mcdsl/csrf";
import { type AppEnv, requireIdentity } from "@metacircular/mcdsl/http";
import { bearerToken } from "@metacircular/mcdsl/identity";
import type { SessionStore } from "@metacircular/mcdsl/session";
import type { SsoSession } from "@metacircular/mcdsl/sso";
import { KIT_ROUTE, serviceStylesheet, webKitAssets } from "@metacircular/mcdsl/web";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { PACKAGE_ROOT } from "../package-root.ts";
import type { PolicyAdmin } from "../policy/policy-admin.ts";
import { isOpenPath } from "../server/access.ts";
import type { PageCtx } from "./frame.tsx";
import { registerPolicyPages } from "./ui-policy.ts";

export interface UiOptions {
  policy: PolicyAdmin;
  session: SessionStore<SsoSession>;
  csrfKey: Buffer;
  secure: boolean;
}

export function registerUi(app: Hono<AppEnv>, o: UiOptions): void {
  const kit = webKitAssets();
  const css = serviceStylesheet(join(PACKAGE_ROOT, "src/webserver/static/mcat.css"), "mcat");
  const csrf = csrfProtection({
    key: o.csrfKey,
    sessionId: (c) => o.session.get(c)?.token,
    secure: o.secure,
  }) as unknown as MiddlewareHandler<AppEnv>;
  app.use(async (c, next) => (isOpenPath(c.req.path) ? next() : csrf(c, next)));

  const ctx: PageCtx = (c, flash) => ({
    username: requireIdentity(c).username,
    csrf: (c as unknown as Context<{ Variables: { csrfToken: string } }>).get("csrfToken"),
    path: c.req.path,
    stylesheet: css.href,
    ...(flash ? { flash } : {}),
  });

  app.get(KIT_ROUTE, (c) => kit.serve(c.req.param("file")) ?? c.notFound());
  app.get("/static/:file", (c) => css.serve(c.req.param("file")) ?? c.notFound());
  // The token the access map accepted: the Bearer header's, else the session's.
  const as = (c: Context<AppEnv>) => ({
    token: bearerToken(c.req.header("Authorization")) ?? o.session.get(c)?.token ?? "",
  });
  registerPolicyPages(app, o.policy, ctx, as);
  app.post("/logout", (c) => {
    o.session.clear(c);
    return c.redirect("/login", 303);
  });
}
