// createApp: the Hono app every service starts from — request ids, access log, body limit,
// JSON errors, JSON 404 and GET /v1/health.
import { Hono } from "hono";
import type { Logger } from "pino";
import { bodyLimitMiddleware, nodeObjects } from "./body.ts";
import type { AppEnv } from "./env.ts";
import { renderError, renderNotFound } from "./errors.ts";
import { accessLog, requestId } from "./request-id.ts";

export const DEFAULT_BODY_LIMIT = 1 << 20;

export interface AppOptions {
  service: string;
  version: string;
  logger: Logger;
  /** Maximum request body in bytes (default 1 MiB); larger bodies get 413. */
  bodyLimit?: number;
  /** Extra readiness check for /v1/health; throw (or return false) to answer 503. */
  health?: () => boolean | undefined | Promise<boolean | undefined>;
}

export function createApp(opts: AppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const maxSize = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  app.use(requestId(opts.logger));
  app.use(accessLog());
  app.use(async (c, next) => {
    c.set("service", opts.service);
    // On Node the header goes straight onto the ServerResponse (kept by writeHead, whatever
    // the handler returns); touching c.res after next() would rebuild the Response object.
    const node = nodeObjects(c);
    if (node) {
      node.outgoing.setHeader("X-Content-Type-Options", "nosniff");
      return next();
    }
    await next();
    c.header("X-Content-Type-Options", "nosniff");
  });
  app.use(bodyLimitMiddleware(maxSize));
  app.onError(renderError);
  app.notFound(renderNotFound);

  app.get("/v1/health", async (c) => {
    const body = { status: "ok", service: opts.service, version: opts.version };
    if (opts.health) {
      let ok = false;
      try {
        ok = (await opts.health()) !== false;
      } catch (err) {
        c.get("log").warn({ err }, "health check failed");
      }
      if (!ok) return c.json({ ...body, status: "unavailable" }, 503);
    }
    return c.json(body);
  });
  return app;
}
