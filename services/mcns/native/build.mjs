// Builds the batched-UDP addon (udp_batch.cc) with the repository's shared addon builder
// (scripts/build-addon.mjs: plain g++ against the installed Node headers, nothing downloaded).
// Run by `npm ci`/`npm install` (the package's install script) and on demand by the tests. MCNS
// falls back to node:dgram when the addon is missing, so with --optional a failed build exits 0.
// Usage: node services/mcns/native/build.mjs [--optional] [--quiet] [--force]
//   (MC_NATIVE_BUILD=asan builds the sanitizer variant into native/build/asan/ instead)

import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const ADDON_PATH = join(here, "build", "udp_batch.node");
const SOURCE = join(here, "udp_batch.cc");

// Imported lazily so that a checkout without scripts/ gets a clear message (and, with
// --optional, a successful install) instead of a module-not-found crash.
let shared;
try {
  shared = await import("../../../scripts/build-addon.mjs");
} catch (err) {
  shared = { error: err.message };
}

/**
 * Compiles the addon unless an up-to-date build exists; returns the path or throws. `variant`
 * "asan" builds the sanitizer variant into build/asan/ (default: MC_NATIVE_BUILD, else release).
 */
export function buildAddon({ force = false, quiet = false, variant } = {}) {
  if (!shared.buildAddon) throw new Error(`scripts/build-addon.mjs unavailable: ${shared.error}`);
  return shared.buildAddon({
    name: "udp_batch",
    sources: [SOURCE],
    output: ADDON_PATH,
    variant: variant ?? shared.variantFromEnv(),
    force,
    quiet,
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const optional = process.argv.includes("--optional");
  const quiet = process.argv.includes("--quiet");
  try {
    const p = buildAddon({ force: process.argv.includes("--force"), quiet });
    if (!quiet) console.log(`mcns: built ${p}`);
  } catch (err) {
    console.error(`mcns: batched UDP addon not built (${err.message}); falling back to node:dgram`);
    process.exit(optional ? 0 : 1);
  }
}
