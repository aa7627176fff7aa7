// The web UI's routes: kit assets, status, unseal (public: the secret is the credential), seal,
// mounts, the certificate inventory with revoke, transit keys with rotate, the SSH CA, policies
// with explain, and the audit log. Every action is a use case of service/ops.ts (engine actions
// go through ops.request: policy and audit as for the API); pages only translate. Mutating
// requests carry the CSRF token (form field); sign-in is mcdsl/sso (installed by install.ts).

import { csrfProtection } from "@metacircular/mcdsl/csrf";
import { type AppEnv, requireIdentity } from "@metacircular/mcdsl/http";
import { isAdmin } from "@metacircular/mcdsl/identity";
import type { SessionStore } from "@metacircular/mcdsl/session";
import type { SsoSession } from "@metacircular/mcdsl/sso";
import { KIT_ROUTE, webKitAssets } from "@metacircular/mcdsl/web";
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { MetacryptOps } from "../service/ops.ts";
import { registerCaPages } from "./routes-ca.ts";
import { registerPolicyPages } from "./routes-policy.ts";
import { registerSysPages } from "./routes-sys.ts";
import type { Ui } from "./ui-context.ts";

export interface UiOptions {
  ops: MetacryptOps;
  session: SessionStore<SsoSession>;
  csrfKey: Buffer;
  secure: boolean;
  version: string;
}

/** Paths of the sign-in flow, which protects its own form; everything else is the UI's. */
const SSO_PATHS = new Set(["/login", "/sso/redirect", "/sso/callback"]);

/** Not browser forms: the bearer-token API, ACME (JWS-signed, RFC 8555) and the kit files. */
const NO_CSRF_PREFIXES = ["/v1/", "/acme/", "/_kit/"];

/** The csrf token the middleware left for the templates. */
function csrfOf(c: Context<AppEnv>): string {
  return (c as unknown as Context<{ Variables: { csrfToken: string } }>).get("csrfToken");
}

export function registerUi(app: Hono<AppEnv>, o: UiOptions): void {
  const kit = webKitAssets();
  const csrf = csrfProtection({
    key: o.csrfKey,
    sessionId: (c) => o.session.get(c)?.token,
    secure: o.secure,
  }) as unknown as MiddlewareHandler<AppEnv>;
  app.use(async (c, next) =>
    SSO_PATHS.has(c.req.path) || NO_CSRF_PREFIXES.some((p) => c.req.path.startsWith(p))
      ? next()
      : csrf(c, next),
  );
  app.get(KIT_ROUTE, (c) => kit.serve(c.req.param("file")) ?? c.notFound());
  app.post("/logout", (c) => {
    o.session.clear(c);
    return c.redirect("/login", 303);
  });
  const ui: Ui = {
    ops: o.ops,
    version: o.version,
    ctx: (c) => {
      const who = requireIdentity(c);
      return {
        username: who.username,
        admin: isAdmin(who),
        csrf: csrfOf(c),
        path: c.req.path,
        version: o.version,
      };
    },
  };
  registerSysPages(app, ui, csrfOf);
  registerCaPages(app, ui);
  registerPolicyPages(app, ui);
}
