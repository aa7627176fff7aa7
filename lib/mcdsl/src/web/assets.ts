// The web kit's static files: the stylesheet, the prose stylesheet (rendered markdown, linked
// by pages that show it), one small browser script and htmx (from its npm package, never a CDN). Each is read once, named by a hash of its content and served under
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
  readonly href: {
    readonly css: string;
    readonly prose: string;
    readonly js: string;
    readonly htmx: string;
  };
  /** Every served file by its hashed name. */
  readonly files: ReadonlyMap<string, KitFile>;
  /** The response for a file name (the `:file` route parameter); undefined when unknown. */
  serve(name: string): Response | undefined;
}

const SOURCES = [
  { key: "css", module: "@metacircular/mcdsl/web/kit.css", stem: "kit", ext: ".css" },
  { key: "prose", module: "@metacircular/mcdsl/web/prose.css", stem: "prose", ext: ".css" },
  { key: "js", module: "@metacircular/mcdsl/web/kit.js", stem: "kit", ext: ".js" },
  { key: "htmx", module: "htmx.org/dist/htmx.min.js", stem: "htmx", ext: ".js" },
] as const;

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
};

export const KIT_CACHE_CONTROL = "public, max-age=31536000, immutable";

function hashedName(body: Uint8Array, stem: string, ext: string): string {
  return `${stem}.${createHash("sha256").update(body).digest("hex").slice(0, 12)}${ext}`;
}

function serveFile(f: KitFile): Response {
  return new Response(f.body, {
    headers: {
      "content-type": f.type,
      "cache-control": KIT_CACHE_CONTROL,
      "x-content-type-options": "nosniff",
    },
  });
}

function load(): WebKitAssets {
  const require = createRequire(import.meta.url);
  const files = new Map<string, KitFile>();
  const href: Record<string, string> = {};
  for (const s of SOURCES) {
    const body = new Uint8Array(readFileSync(require.resolve(s.module)));
    const name = hashedName(body, s.stem, s.ext);
    files.set(name, { name, body, type: TYPES[s.ext]! });
    href[s.key] = `${KIT_PREFIX}${name}`;
  }
  return {
    href: { css: href.css!, prose: href.prose!, js: href.js!, htmx: href.htmx! },
    files,
    serve(name) {
      const f = files.get(name);
      return f ? serveFile(f) : undefined;
    },
  };
}

let loaded: WebKitAssets | undefined;

/** The kit's files, loaded on first use and then shared by every page of the process. */
export function webKitAssets(): WebKitAssets {
  loaded ??= load();
  return loaded;
}

/** A service's own stylesheet, served beside the kit's under `/static/<stem>.<hash>.css`. */
export interface ServiceStylesheet {
  /** The URL the page layout links to. */
  readonly href: string;
  /** The response for a file name (the `/static/:file` route parameter); undefined when unknown. */
  serve(name: string): Response | undefined;
}

/** Reads `path` once and names it by its content, so it is cached for good like the kit's. */
export function serviceStylesheet(path: string, stem: string): ServiceStylesheet {
  const body = new Uint8Array(readFileSync(path));
  const name = hashedName(body, stem, ".css");
  const file: KitFile = { name, body, type: TYPES[".css"]! };
  return { href: `/static/${name}`, serve: (n) => (n === name ? serveFile(file) : undefined) };
}
