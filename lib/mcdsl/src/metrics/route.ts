// GET /metrics on a Hono app. The route's access level is the service's decision: declare
// "GET /metrics" in its access map like any other route.
import type { Env, Hono, Schema } from "hono";
import type { Registry } from "prom-client";
import { exposition } from "./registry.ts";

export function metricsRoute<E extends Env, S extends Schema, B extends string>(
  app: Hono<E, S, B>,
  registry: Registry,
  path = "/metrics",
): void {
  app.get(path, async (c) => {
    const { contentType, body } = await exposition(registry);
    return c.body(body, 200, { "content-type": contentType });
  });
}
