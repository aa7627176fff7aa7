// The admin REST API (/v1, MCIAS tokens for this service's audience): repositories and tags,
// deletion under the repository policy, GC, policy rules and the audit log. Each route calls
// one domain function.

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
import type { GcRunner } from "../gc/gc-runner.ts";
import type { RegistryMetrics } from "../metrics.ts";
import { OciError } from "../oci/errors.ts";
import { type PolicyStore, ruleInput } from "../policy/policy-store.ts";
import type { Action } from "../policy/rules.ts";
import type { RegistryContext } from "../registry/context.ts";
import { deleteManifest } from "../registry/manifests.ts";
import type { Principal } from "../registry/principal.ts";
import { listRepositories, listTagViews } from "../registry/repositories.ts";
import { restAccess } from "./access.ts";

export interface RestOptions {
  ctx: RegistryContext;
  policy: PolicyStore;
  gc: GcRunner;
  validator: TokenValidator;
  logger: Logger;
  version: string;
  metrics: RegistryMetrics;
}

/** The domain's spec errors in the platform's REST shape (snake_case code, same status). */
function rest<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof OciError)
      throw new AppError(err.status, err.code.toLowerCase(), err.message);
    throw err;
  }
}

function requireAction(o: RestOptions, who: Principal, repo: string, action: Action): void {
  if (!o.policy.allows(who, repo, action))
    throw AppError.forbidden(`policy does not allow ${action} on ${repo}`, "denied");
}

export function buildRestApp(o: RestOptions): Hono<AppEnv> {
  const app = createApp({ service: "mcr", version: o.version, logger: o.logger });
  app.use(accessMap(restAccess, o.validator));
  metricsRoute(app, o.metrics.registry);
  const { ctx, policy } = o;

  app.get("/v1/repositories", (c) => {
    const who = requireIdentity(c);
    return c.json({ repositories: listRepositories(ctx, (r) => policy.allows(who, r, "pull")) });
  });
  app.get("/v1/repositories/:name{.+}/tags", (c) => {
    const name = c.req.param("name");
    requireAction(o, requireIdentity(c), name, "pull");
    return c.json({ name, tags: rest(() => listTagViews(ctx, name)) });
  });
  app.delete("/v1/repositories/:name{.+}/tags/:tag", (c) => {
    const who = requireIdentity(c);
    const name = c.req.param("name");
    const tag = c.req.param("tag");
    if (tag.includes(":")) throw AppError.badRequest("tag_invalid", "expected a tag, not a digest");
    requireAction(o, who, name, "delete");
    rest(() => deleteManifest(ctx, who, name, tag));
    return c.body(null, 204);
  });
  app.delete("/v1/repositories/:name{.+}/manifests/:digest", (c) => {
    const who = requireIdentity(c);
    const name = c.req.param("name");
    const digest = c.req.param("digest");
    if (!digest.includes(":")) throw AppError.badRequest("digest_invalid", "expected a digest");
    requireAction(o, who, name, "delete");
    rest(() => deleteManifest(ctx, who, name, digest));
    return c.body(null, 204);
  });
  app.post("/v1/gc", async (c) => {
    const body = await readJson(c, z.strictObject({ dry_run: z.boolean().default(false) }));
    return c.json(o.gc.run(body.dry_run));
  });
  app.get("/v1/policies", (c) => c.json({ policies: policy.list() }));
  app.post("/v1/policies", async (c) => {
    const rule = policy.create(await readJson(c, ruleInput));
    ctx.audit.record(requireIdentity(c), "policy_create", undefined, String(rule.id), { rule });
    return c.json(rule, 201);
  });
  app.delete("/v1/policies/:id", (c) => {
    const id = c.req.param("id");
    if (!/^\d{1,15}$/.test(id))
      throw AppError.badRequest("bad_policy_id", "policy id must be a number");
    policy.delete(Number(id));
    ctx.audit.record(requireIdentity(c), "policy_delete", undefined, id);
    return c.body(null, 204);
  });
  app.get("/v1/audit", (c) => {
    const limit = Math.min(Number(c.req.query("limit") ?? 100) || 100, 1000);
    return c.json({
      entries: ctx.audit.list({
        limit,
        repository: c.req.query("repository"),
        action: c.req.query("action"),
      }),
    });
  });
  return app;
}
