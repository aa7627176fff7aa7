// The one HTTP app of MCDoc: health, repository status, the webhook, metrics and the site, all
// behind the one access map (every route public; no token is ever asked for or validated).
// HTML responses get a strict CSP: no script but the kit's, images only from the site itself.
import { type AppEnv, accessMap, createApp, nodeObjects } from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import { metricsRoute } from "@metacircular/mcdsl/metrics";
import type { Hono } from "hono";
import type { SearchIndex } from "../db/search-index.ts";
import type { McdocMetrics } from "../metrics.ts";
import type { Library } from "../site/library.ts";
import { fastPath } from "../webserver/fast-path.ts";
import {
  ASSET_CACHE,
  PAGE_CACHE,
  registerSite,
  SVG_CSP,
  servedCounters,
} from "../webserver/site-routes.ts";
import { accessRules } from "./access.ts";
import { registerWebhook } from "./webhook-route.ts";

export interface AppDeps {
  library: Library;
  index: SearchIndex;
  metrics: McdocMetrics;
  logger: Logger;
  version: string;
  title: string;
  secret: Buffer | undefined;
}

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** HTML pages (the site), as opposed to the API, metrics, images and static files. */
export function isPagePath(path: string): boolean {
  return !/^\/(v1|metrics|raw|_kit|static)(\/|$)/.test(path);
}

/** No token is accepted anywhere: MCDoc has no login. */
const noTokens = { validate: async () => null };

function repoStatus(library: Library) {
  return library.names().map((name) => {
    const s = library.state(name)!;
    const snap = s.kind === "ready" ? s.snapshot : undefined;
    return {
      name,
      state: s.kind,
      revision: snap?.revision ?? null,
      pages: snap?.pages.size ?? 0,
      broken_links: snap?.broken.length ?? 0,
      rendered_at: snap?.builtAt.toISOString() ?? null,
      error: s.error ?? null,
    };
  });
}

export interface BuiltApp {
  app: Hono<AppEnv>;
  /** Cached pages and images answered before the app (serveHttp's fastPath). */
  fastPath: ReturnType<typeof fastPath>;
  invalidate(): void;
}

export function buildApp(d: AppDeps): BuiltApp {
  const app = createApp({
    service: "mcdoc",
    version: d.version,
    logger: d.logger,
    bodyLimit: 8 * 1024 * 1024,
  });
  app.use(async (c, next) => {
    // Set on the Node response before the handler: kept by writeHead whatever the handler
    // returns (prepared pages are written straight to it), and no Response is rebuilt after.
    if (!isPagePath(c.req.path)) return next();
    const node = nodeObjects(c);
    if (node) {
      node.outgoing.setHeader("content-security-policy", CSP);
      node.outgoing.setHeader("referrer-policy", "same-origin");
      return next();
    }
    await next();
    c.header("content-security-policy", CSP);
    c.header("referrer-policy", "same-origin");
  });
  app.use(accessMap(accessRules, noTokens, { tokenFrom: () => undefined }));
  app.get("/v1/repos", (c) => c.json({ repos: repoStatus(d.library) }));
  registerWebhook(app, d);
  metricsRoute(app, d.metrics.registry);
  const site = registerSite(app, d);
  const fast = fastPath({
    library: d.library,
    counters: servedCounters(d.metrics),
    pageHeaders: {
      "x-content-type-options": "nosniff",
      "content-security-policy": CSP,
      "referrer-policy": "same-origin",
    },
    pageCache: PAGE_CACHE,
    assetCache: ASSET_CACHE,
    svgCsp: SVG_CSP,
  });
  return { app, fastPath: fast, invalidate: site.invalidate };
}
