// The package directory (services/mcns), found by walking up from this module to the
// package.json that names it: the same answer from src/ under tsx and from the bundle in dist/,
// so the native addon is found the same way in both.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "@metacircular/mcns";

export function findPackageRoot(start: string, name = PACKAGE_NAME): string {
  for (let dir = start; ; ) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string };
      if (pkg.name === name) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${name} package directory from ${start}`);
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
