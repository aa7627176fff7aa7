// Assembles an mcdoc instance: search index (SQLite FTS5 in the cache dir) → markdown renderer (a
// worker thread with MCDoc's link rewriter) → the library of repositories (config + Gitea
// discovery) → one HTTP listener; then every repository is fetched and rendered in the
// background, and again on each webhook and every [refresh] interval_seconds.
// Plain HTTP behind an MC-Proxy L7 route unless [server] tls_cert/tls_key are set (TLS 1.3).
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Database, openDatabase } from "@metacircular/mcdsl/db";
import { type AppEnv, type HttpServerHandle, serveHttp } from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import { MarkdownRenderer } from "@metacircular/mcdsl/markdown";
import type { Hono } from "hono";
import type { McdocConfig, RepoConfig } from "./config.ts";
import { migrations } from "./db/migrations.ts";
import { SearchIndex } from "./db/search-index.ts";
import { createMetrics } from "./metrics.ts";
import { PACKAGE_ROOT } from "./package-root.ts";
import { buildApp } from "./server/app-routes.ts";
import { Library, type LibraryEntry } from "./site/library.ts";
import { GitSource } from "./sources/git-source.ts";
import { type GiteaRepo, listGiteaRepos } from "./sources/gitea.ts";
import { LocalSource } from "./sources/local-source.ts";
import { VERSION } from "./version.ts";
import { docComposer } from "./webserver/doc-views.tsx";
import { siteStylesheet } from "./webserver/stylesheet.ts";

export interface McdocOptions {
  logger: Logger;
}

export interface McdocHandle {
  http: HttpServerHandle;
  app: Hono<AppEnv>;
  library: Library;
  db: Database;
  /** Re-reads the Gitea organisation (if any) and refreshes every repository. */
  refreshAll(): Promise<void>;
  close(): Promise<void>;
}

/** The bundled worker entry next to the bundle (dist/), else the source entry under tsx. */
function workerFile(): string {
  const bundled = join(PACKAGE_ROOT, "dist/mcdoc-render-worker.mjs");
  if (import.meta.url.endsWith(".mjs") && existsSync(bundled)) return bundled;
  return join(PACKAGE_ROOT, "src/cmd/mcdoc-render-worker.ts");
}

function configuredEntry(r: RepoConfig, cfg: McdocConfig): LibraryEntry {
  const info = { name: r.name, title: r.title ?? r.name, description: r.description };
  if (r.path) return { info, source: new LocalSource(resolve(r.path)), aliases: [r.name] };
  const dir = join(cfg.cache.dir, "git", `${r.name}.git`);
  const timeoutMs = cfg.refresh.timeout_seconds * 1000;
  const source = new GitSource({ url: r.url!, ref: r.ref, dir, timeoutMs });
  return { info, source, aliases: [r.name, r.url!], ref: r.ref };
}

function giteaEntry(g: GiteaRepo, cfg: McdocConfig): LibraryEntry {
  const dir = join(cfg.cache.dir, "git", `${g.name}.git`);
  const timeoutMs = cfg.refresh.timeout_seconds * 1000;
  return {
    info: { name: g.name, title: g.name, description: g.description },
    source: new GitSource({ url: g.cloneUrl, ref: g.ref, dir, timeoutMs }),
    aliases: [g.name, g.fullName, g.cloneUrl, g.htmlUrl].filter(Boolean),
    ref: g.ref,
  };
}

/** Re-reads the Gitea organisation (if configured) into the library; failures keep the known set. */
function giteaDiscovery(cfg: McdocConfig, fixed: LibraryEntry[], library: Library, log: Logger) {
  let discovered: LibraryEntry[] = [];
  return async () => {
    if (!cfg.gitea) return;
    try {
      const repos = await listGiteaRepos(cfg.gitea, cfg.refresh.timeout_seconds * 1000);
      const taken = new Set(fixed.map((e) => e.info.name));
      discovered = repos.filter((g) => !taken.has(g.name)).map((g) => giteaEntry(g, cfg));
    } catch (err) {
      const msg = (err as Error).message;
      log.warn({ err: msg }, "Gitea discovery failed: keeping the known repositories");
    }
    library.setEntries([...fixed, ...discovered]);
  };
}

export async function startMcdoc(cfg: McdocConfig, opts: McdocOptions): Promise<McdocHandle> {
  const log = opts.logger;
  const db = openDatabase(join(cfg.cache.dir, "mcdoc.sqlite"), { migrations, logger: log });
  const index = new SearchIndex(db);
  index.clear(); // rows of the previous run point at snapshots that are gone
  const renderer = new MarkdownRenderer({
    hugeBytes: cfg.site.huge_bytes,
    workerFile: workerFile(),
  });
  renderer.start();
  const metrics = createMetrics();
  const secret = cfg.webhook.secret_file ? readFileSync(cfg.webhook.secret_file) : undefined;
  if (secret && secret.length < 16)
    throw new Error(`${cfg.webhook.secret_file}: use at least 16 bytes`);
  let invalidate = () => {};
  const site = { title: cfg.site.title };
  const library = new Library({
    renderer,
    composer: docComposer({ title: site.title, stylesheet: siteStylesheet().href }),
    maxFileBytes: cfg.site.max_file_bytes,
    index,
    metrics,
    logger: log,
    onChange: () => invalidate(),
  });
  const built = buildApp({
    library,
    index,
    metrics,
    logger: log,
    version: VERSION,
    title: site.title,
    secret,
  });
  invalidate = built.invalidate;
  const fixed = cfg.repos.map((r) => configuredEntry(r, cfg));
  const discover = giteaDiscovery(cfg, fixed, library, log);
  library.setEntries(fixed);
  const refreshAll = async () => {
    await discover();
    await library.refreshAll();
  };
  const serveOpts: Parameters<typeof serveHttp>[1] = {
    listen: cfg.server.listen_addr,
    logger: log,
    shutdownTimeoutMs: cfg.server.shutdown_timeout_ms,
    fastPath: built.fastPath,
  };
  if (cfg.server.tls_cert && cfg.server.tls_key)
    serveOpts.tls = { cert: cfg.server.tls_cert, key: cfg.server.tls_key };
  const http = await serveHttp(built.app, serveOpts);
  log.info({ url: http.url, repos: fixed.length, gitea: Boolean(cfg.gitea) }, "mcdoc started");
  void refreshAll();
  const every = cfg.refresh.interval_seconds * 1000;
  const timer = every > 0 ? setInterval(() => void refreshAll(), every) : undefined;
  timer?.unref();
  return {
    http,
    app: built.app,
    library,
    db,
    refreshAll,
    async close() {
      if (timer) clearInterval(timer);
      await http.close();
      await renderer.close();
      db.close();
    },
  };
}
