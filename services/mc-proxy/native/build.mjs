// Builds the ingress addon (ingress.cc, io_thread.cc, relay.cc, events.cc, events_js.cc,
// fast_path.cc, peer_filter.cc) with the repository's shared
// addon builder (scripts/build-addon.mjs). Run by `npm ci` (the package's install script) and by
// the tests; mc-proxy falls back to node:net when the addon is missing (`[server] io = "auto"`),
// so with --optional a failed build exits 0.
// Usage: node services/mc-proxy/native/build.mjs [--optional] [--quiet] [--force]
//   (MC_NATIVE_BUILD=asan builds the sanitizer variant into native/build/asan/ instead)

import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const ADDON_PATH = join(here, "build", "ingress.node");
const SOURCES = [
  "ingress.cc",
  "io_thread.cc",
  "relay.cc",
  "events.cc",
  "events_js.cc",
  "fast_path.cc",
  "peer_filter.cc",
].map((f) => join(here, f));

// Imported lazily so that a checkout without scripts/ (a trimmed container context) still gets a
// clear message and, with --optional, a successful install.
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
    name: "ingress",
    sources: SOURCES,
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
    if (!quiet) console.log(`mc-proxy: built ${p}`);
  } catch (err) {
    console.error(`mc-proxy: ingress addon not built (${err.message}); io = "auto" uses node:net`);
    process.exit(optional ? 0 : 1);
  }
}
