// The site's routes: prepared pages, folders and images straight from the snapshot being served
// (ETag, Cache-Control, 304), the home page (prepared again after each change), search and the
// broken-links pages. Nothing here reads the file system: a URL path is only ever a key into a
// snapshot's maps, so no path can reach outside the rendered tree.
import type { AppEnv } from "@metacircular/mcdsl/http";
import { KIT_ROUTE, webKitAssets } from "@metacircular/mcdsl/web";
import type { Context, Hono } from "hono";
import type { SearchIndex } from "../db/search-index.ts";
import type { McdocMetrics } from "../metrics.ts";
import type { Library } from "../site/library.ts";
import { type Prepared, prepare } from "../site/snapshot.ts";
import type { SiteInfo } from "./frame.tsx";
import { type ServedCounters, sendPrepared } from "./prepared.ts";
import { searchResults, searchTemplates } from "./search-view.tsx";
import { brokenPage, homePage, notFoundPage } from "./site-pages.tsx";
import { siteStylesheet } from "./stylesheet.ts";

export interface SiteDeps {
  library: Library;
  index: SearchIndex;
  metrics: McdocMetrics;
  title: string;
}

/** Pages may change at any push: caches revalidate (cheap with the ETag) after a minute. */
export const PAGE_CACHE = "public, max-age=60, must-revalidate";
export const ASSET_CACHE = "public, max-age=300";
export const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/** The URL path after a prefix, decoded segment by segment; undefined when malformed. */
export function pathAfter(c: Context, prefix: string): string | undefined {
  const raw = new URL(c.req.url).pathname.slice(prefix.length);
  try {
    return raw.split("/").map(decodeURIComponent).join("/");
  } catch {
    return undefined;
  }
}

function homeCards(library: Library) {
  return library.names().map((name) => ({
    ...library.entry(name)!.info,
    state: library.state(name)!,
  }));
}

/** The served/304 counters of prepared responses (shared with the fast path). */
export function servedCounters(metrics: McdocMetrics): ServedCounters {
  return { ok: metrics.served.labels("200"), notModified: metrics.served.labels("304") };
}

export function registerSite(app: Hono<AppEnv>, d: SiteDeps): { invalidate(): void } {
  const kit = webKitAssets();
  const css = siteStylesheet();
  const site: SiteInfo = { title: d.title, stylesheet: css.href };
  let home: Prepared | undefined;

  const counters = servedCounters(d.metrics);
  const send = (c: Context<AppEnv>, p: Prepared, cache: string, extra?: Record<string, string>) =>
    sendPrepared(c, p, cache, counters, extra);
  let search: ReturnType<typeof searchTemplates> | undefined;
  const notFound = async (c: Context<AppEnv>) => c.html(await notFoundPage(site, c.req.path), 404);

  app.get(KIT_ROUTE, (c) => kit.serve(c.req.param("file")) ?? c.notFound());
  app.get("/static/:file", (c) => css.serve(c.req.param("file")) ?? c.notFound());
  app.get("/", async (c) => {
    if (!home) {
      home = prepare(await homePage(site, homeCards(d.library)), "text/html; charset=utf-8");
    }
    return send(c, home, PAGE_CACHE);
  });
  app.get("/search", async (c) => {
    const q = (c.req.query("q") ?? "").slice(0, 200);
    search ??= searchTemplates(site);
    const t = await search;
    if (!q) return c.html(t.empty, 200, { "cache-control": "no-cache" });
    const hits = d.index.search(q, 50);
    const titles = new Map(d.library.entries().map((e) => [e.info.name, e.info.title]));
    return c.html(searchResults(t, q, hits, titles), 200, { "cache-control": "no-cache" });
  });
  app.get("/r/:repo", (c) => c.redirect(`${c.req.path}/`, 301));
  app.get("/r/:repo/*", async (c) => {
    const repo = c.req.param("repo");
    const snap = d.library.snapshot(repo);
    const key = pathAfter(c, `/r/${encodeURIComponent(repo)}/`);
    if (!snap || key === undefined) return notFound(c);
    const view = snap.views.get(key);
    if (view) return send(c, view, PAGE_CACHE);
    if (snap.views.has(`${key}/`)) return c.redirect(`${new URL(c.req.url).pathname}/`, 301);
    return notFound(c);
  });
  app.get("/raw/:repo/*", async (c) => {
    const repo = c.req.param("repo");
    const key = pathAfter(c, `/raw/${encodeURIComponent(repo)}/`);
    const asset = key === undefined ? undefined : d.library.snapshot(repo)?.assets.get(key);
    if (!asset) return notFound(c);
    const extra: Record<string, string> =
      asset.type === "image/svg+xml" ? { "content-security-policy": SVG_CSP } : {};
    return send(c, asset, ASSET_CACHE, extra);
  });
  app.get("/broken/:repo", async (c) => {
    const snap = d.library.snapshot(c.req.param("repo"));
    if (!snap) return notFound(c);
    return c.html(await brokenPage(site, snap.name, snap.title, snap.broken));
  });
  return {
    invalidate() {
      home = undefined;
    },
  };
}
