// The hot path for cached pages and images: a GET/HEAD of /r/<repo>/<key> or /raw/<repo>/<key>
// found in the served snapshot is answered straight on the Node response, before Hono, request
// ids and the access log. Per request it is a URL split, two Map lookups and res.end(buffer):
// the header block of each prepared response is built once and kept with it. Anything else
// (redirects, 404s, other routes) returns false and goes through the app as before.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Library } from "../site/library.ts";
import type { Prepared } from "../site/snapshot.ts";
import { etagMatches, type ServedCounters } from "./prepared.ts";

/** Flat [name, value, name, value, …], as writeHead takes it. */
type Headers = string[];

export interface FastPathOptions {
  library: Library;
  counters: ServedCounters;
  /** The headers the app's middleware sets on every HTML page (CSP, referrer, nosniff). */
  pageHeaders: Record<string, string>;
  pageCache: string;
  assetCache: string;
  svgCsp: string;
}

/** "/r/alpha/a%20b.md?x" → ["r", "alpha", "a b.md"]; undefined when malformed or not ours. */
export function splitTarget(url: string): [string, string, string] | undefined {
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const kind = path.startsWith("/r/") ? "r" : path.startsWith("/raw/") ? "raw" : undefined;
  if (!kind) return undefined;
  const rest = path.slice(kind.length + 2);
  const slash = rest.indexOf("/");
  if (slash <= 0) return undefined;
  let repo = rest.slice(0, slash);
  let key = rest.slice(slash + 1);
  if (repo.includes("%") || key.includes("%")) {
    try {
      repo = decodeURIComponent(repo);
      key = key.split("/").map(decodeURIComponent).join("/");
    } catch {
      return undefined;
    }
  }
  return [kind, repo, key];
}

const NOSNIFF = { "x-content-type-options": "nosniff" };

export function fastPath(o: FastPathOptions) {
  const built = new WeakMap<Prepared, { ok: Headers; notModified: Headers }>();
  const headersOf = (p: Prepared, page: boolean) => {
    let h = built.get(p);
    if (!h) {
      const common: Headers = [
        "etag",
        p.etag,
        "cache-control",
        page ? o.pageCache : o.assetCache,
        ...Object.entries(page ? o.pageHeaders : NOSNIFF).flat(),
      ];
      if (!page && p.type === "image/svg+xml") common.push("content-security-policy", o.svgCsp);
      const ok = [...common, "content-type", p.type, "content-length", String(p.body.length)];
      h = { ok, notModified: common };
      built.set(p, h);
    }
    return h;
  };
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !req.url) return false;
    const target = splitTarget(req.url);
    if (!target) return false;
    const [kind, repo, key] = target;
    const snap = o.library.snapshot(repo);
    const p = kind === "r" ? snap?.views.get(key) : snap?.assets.get(key);
    if (!p) return false;
    const h = headersOf(p, kind === "r");
    const inm = req.headers["if-none-match"];
    if (inm !== undefined && etagMatches(inm, p.etag)) {
      o.counters.notModified.inc();
      res.writeHead(304, h.notModified).end();
      return true;
    }
    o.counters.ok.inc();
    res.writeHead(200, h.ok);
    res.end(req.method === "HEAD" ? undefined : p.body);
    return true;
  };
}
