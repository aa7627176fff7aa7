// The package directory (services/mcias), found by walking up from this module to the
// package.json that names us. The same answer whether the code runs from src/ under tsx or from
// the single-file bundle in dist/ — so assets (static files, the Argon2 worker, the version)
// are located the same way in both.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "@metacircular/mcias";

export function findPackageRoot(start: string, name = PACKAGE_NAME): string {
  let dir = start;
  for (;;) {
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
