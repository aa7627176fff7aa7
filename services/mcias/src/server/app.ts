// The MCIAS REST application on mcdsl/http (request ids, access log, body limit, JSON errors,
// GET /v1/health) with every MCIAS route registered through the access map.
import { createApp as createBaseApp } from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import type { Hono } from "hono";
import type { Core } from "../app.ts";
import { registerOidcRoutes } from "../oidc/routes.ts";
import { registerSsoRoutes } from "../sso/routes.ts";
import { registerUiRoutes } from "../webserver/routes.ts";
import { registerStaticRoutes } from "../webserver/static-files.ts";
import { createRouter, type Env, type Router } from "./router.ts";
import { registerAdminRoutes } from "./routes-admin.ts";
import { registerPasskeyRoutes } from "./routes-passkeys.ts";
import { registerPolicyAuditRoutes } from "./routes-policy-audit.ts";
import { registerPolicyToolRoutes } from "./routes-policy-tools.ts";
import { registerPublicRoutes } from "./routes-public.ts";
import { registerSelfRoutes } from "./routes-self.ts";

export function createApp(
  core: Core,
  logger: Logger,
  version: string,
): { app: Hono<Env>; router: Router } {
  const app = createBaseApp({
    service: "mcias",
    version,
    logger,
    bodyLimit: 64 * 1024,
  }) as unknown as Hono<Env>;
  const router = createRouter(app, core);
  registerPublicRoutes(router, core);
  registerSelfRoutes(router, core);
  registerAdminRoutes(router, core);
  registerPolicyAuditRoutes(router, core);
  registerPolicyToolRoutes(router, core);
  registerPasskeyRoutes(router, core);
  registerSsoRoutes(router, core);
  registerOidcRoutes(router, core);
  registerStaticRoutes(router);
  registerUiRoutes(router, core);
  return { app, router };
}
