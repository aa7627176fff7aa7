// GET /static/:file — MCIAS's own browser scripts (passkeys), read once from
// src/webserver/static/ at start. Only names present in that folder are served; the name
// pattern refuses paths, so nothing outside the folder is reachable.
// GET /_kit/:file — the mcdsl web kit's stylesheet, script and htmx (hashed names, cached
// for a year; see @metacircular/mcdsl/web).
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { AppError } from "@metacircular/mcdsl/errors";
import { KIT_ROUTE, webKitAssets } from "@metacircular/mcdsl/web";
import { PACKAGE_ROOT } from "../package-root.ts";
import type { Router } from "../server/router.ts";

// Located from the package root so the dist/ bundle finds the same folder.
const STATIC_DIR = join(PACKAGE_ROOT, "src/webserver/static");

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/** Loads every regular file in the static folder whose type is known. */
export function loadStaticFiles(dir = STATIC_DIR): Map<string, { body: Buffer; type: string }> {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const type = TYPES[extname(entry.name)];
    if (entry.isFile() && type)
      files.set(entry.name, { body: readFileSync(join(dir, entry.name)), type });
  }
  return files;
}

export function registerStaticRoutes(r: Router, files = loadStaticFiles()): void {
  r.add("GET", "/static/:file", (c) => {
    const name = c.req.param("file") ?? "";
    const f = /^[A-Za-z0-9._-]+$/.test(name) ? files.get(name) : undefined;
    if (!f) throw AppError.notFound("not_found", "no such static file");
    return new Response(new Uint8Array(f.body), {
      headers: {
        "content-type": f.type,
        "cache-control": "public, max-age=3600",
        "x-content-type-options": "nosniff",
      },
    });
  });
  const kit = webKitAssets();
  r.add("GET", KIT_ROUTE, (c) => {
    const res = kit.serve(c.req.param("file") ?? "");
    if (!res) throw AppError.notFound("not_found", "no such static file");
    return res;
  });
}
