// Where a service's package lives on disk, and its version: the directory whose package.json
// names the package, found by walking up. The same answer from src/ under tsx, from an ESM bundle
// in dist/ and from a CommonJS bundle (where import.meta is absent), so assets, workers, native
// addons and the version are located one way everywhere.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

interface Manifest {
  name?: string;
  version?: string;
}

function readManifest(dir: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
  } catch {
    return undefined;
  }
}

/** A file URL, a file path or a directory → the directory to start walking from. */
function startDir(from: string): string {
  const path = from.startsWith("file:") ? fileURLToPath(from) : resolve(from);
  return readManifest(path) ? path : dirname(path);
}

function walkUp(name: string, start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (readManifest(dir)?.name === name) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The directory of package `name`, searched upwards from each of `from` in turn (file URLs such
 * as import.meta.url, files or directories); by default from the entry script, then the working
 * directory. Throws when no start leads to it.
 */
export function findPackageRoot(name: string, ...from: string[]): string {
  const starts = from.length ? from : [process.argv[1] ?? process.cwd(), process.cwd()];
  for (const s of starts) {
    const found = walkUp(name, startDir(s));
    if (found) return found;
  }
  throw new Error(`cannot find the ${name} package directory from ${starts.join(", ")}`);
}

/** The version in the package.json of the package found at `root`. */
export function packageVersion(root: string): string {
  const v = readManifest(root)?.version;
  if (!v) throw new Error(`${join(root, "package.json")} has no version`);
  return v;
}
