// The admin REST API (/v1, MCIAS tokens for this service's audience): repositories and tags,
// deletion under the repository policy, GC, policy rules and the audit log. Each route
// translates to one RegistryAdmin call (registry/admin-ops.ts), as gRPC and the web UI do.

import { AppError } from "@metacircular/mcdsl/errors";
import {
  type AppEnv,
  accessMap,
  createApp,
  readJson,
  requireIdentity,
  type TokenValidator,
} from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import { metricsRoute } from "@metacircular/mcdsl/metrics";
import type { Hono } from "hono";
import { z } from "zod";
import type { RegistryMetrics } from "../metrics.ts";
import { ruleInput } from "../policy/policy-store.ts";
import type { RegistryAdmin } from "../registry/admin-ops.ts";
import { restAccess } from "./access.ts";

export interface RestOptions {
  admin: RegistryAdmin;
  validator: TokenValidator;
  logger: Logger;
  version: string;
  metrics: RegistryMetrics;
}

/** A numeric id or cursor from a path or query ("bad_<what>" when it is not one). */
export function parseId(text: string | undefined, what: string): number | undefined {
  if (text === undefined || text === "") return undefined;
  if (!/^\d{1,15}$/.test(text))
    throw AppError.badRequest(`bad_${what.replace(/ /g, "_")}`, `${what} must be a number`);
  return Number(text);
}

export function buildRestApp(o: RestOptions): Hono<AppEnv> {
  const app = createApp({ service: "mcr", version: o.version, logger: o.logger });
  app.use(accessMap(restAccess, o.validator));
  metricsRoute(app, o.metrics.registry);
  const { admin } = o;

  app.get("/v1/repositories", (c) =>
    c.json({ repositories: admin.repositories(requireIdentity(c)) }),
  );
  app.get("/v1/repositories/:name{.+}/tags", (c) => {
    const name = c.req.param("name");
    return c.json({ name, tags: admin.tags(requireIdentity(c), name) });
  });
  app.delete("/v1/repositories/:name{.+}/tags/:tag", (c) => {
    admin.deleteTag(requireIdentity(c), c.req.param("name"), c.req.param("tag"));
    return c.body(null, 204);
  });
  app.delete("/v1/repositories/:name{.+}/manifests/:digest", (c) => {
    admin.deleteManifest(requireIdentity(c), c.req.param("name"), c.req.param("digest"));
    return c.body(null, 204);
  });
  app.post("/v1/gc", async (c) => {
    const body = await readJson(c, z.strictObject({ dry_run: z.boolean().default(false) }));
    return c.json(admin.gc(requireIdentity(c), body.dry_run));
  });
  app.get("/v1/policies", (c) => c.json({ policies: admin.policies(requireIdentity(c)) }));
  app.post("/v1/policies", async (c) => {
    const input = await readJson(c, ruleInput);
    return c.json(admin.addPolicy(requireIdentity(c), input), 201);
  });
  app.delete("/v1/policies/:id", (c) => {
    admin.deletePolicy(requireIdentity(c), parseId(c.req.param("id"), "policy id")!);
    return c.body(null, 204);
  });
  app.get("/v1/audit", (c) =>
    c.json({
      entries: admin.audit(requireIdentity(c), {
        limit: Number(c.req.query("limit") ?? 100) || 100,
        repository: c.req.query("repository"),
        action: c.req.query("action"),
        before: parseId(c.req.query("before"), "before"),
      }),
    }),
  );
  return app;
}
