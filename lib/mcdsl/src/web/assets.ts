// The web kit's static files: one stylesheet, one small browser script and htmx (from its npm
// package, never a CDN). Each is read once, named by a hash of its content and served under
// KIT_PREFIX with a year-long immutable cache: a new release changes the name, never the file
// behind a name. Located through this package's `exports`, so a service's single-file bundle
// in dist/ finds the same files as the sources run under tsx.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** The fixed URL path every service mounts the kit's files under. */
export const KIT_PREFIX = "/_kit/";
/** The route pattern (Hono syntax) a service registers, public, for GET. */
export const KIT_ROUTE = "/_kit/:file";

export interface KitFile {
  readonly name: string;
  readonly body: Uint8Array;
  readonly type: string;
}

export interface WebKitAssets {
  /** The URLs the page layout links to. */
  readonly href: { readonly css: string; readonly js: string; readonly htmx: string };
  /** Every served file by its hashed name. */
  readonly files: ReadonlyMap<string, KitFile>;
  /** The response for a file name (the `:file` route parameter); undefined when unknown. */
  serve(name: string): Response | undefined;
}

const SOURCES = [
  { key: "css", module: "@metacircular/mcdsl/web/kit.css", stem: "kit", ext: ".css" },
  { key: "js", module: "@metacircular/mcdsl/web/kit.js", stem: "kit", ext: ".js" },
  { key: "htmx", module: "htmx.org/dist/htmx.min.js", stem: "htmx", ext: ".js" },
] as const;

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
};

export const KIT_CACHE_CONTROL = "public, max-age=31536000, immutable";

function load(): WebKitAssets {
  const require = createRequire(import.meta.url);
  const files = new Map<string, KitFile>();
  const href: Record<string, string> = {};
  for (const s of SOURCES) {
    const body = new Uint8Array(readFileSync(require.resolve(s.module)));
    const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
    const name = `${s.stem}.${hash}${s.ext}`;
    files.set(name, { name, body, type: TYPES[s.ext]! });
    href[s.key] = `${KIT_PREFIX}${name}`;
  }
  return {
    href: { css: href.css!, js: href.js!, htmx: href.htmx! },
    files,
    serve(name) {
      const f = files.get(name);
      if (!f) return undefined;
      return new Response(f.body, {
        headers: {
          "content-type": f.type,
          "cache-control": KIT_CACHE_CONTROL,
          "x-content-type-options": "nosniff",
        },
      });
    },
  };
}

let loaded: WebKitAssets | undefined;

/** The kit's files, loaded on first use and then shared by every page of the process. */
export function webKitAssets(): WebKitAssets {
  loaded ??= load();
  return loaded;
}
