// Builds a repository N-API addon with a plain g++ command line against the Node headers that
// ship with the nodejs package; nothing is downloaded. Used by the packages' install scripts
// (during `npm ci`) and on demand by tests. The addons are optional at runtime (each service
// falls back to a portable path), so with --optional a failed build exits 0.
//
// Two variants: "release" (the default, -O2) and "asan", the same sources with AddressSanitizer
// and UndefinedBehaviorSanitizer into a build/asan/ directory beside the release file (the release
// build is never replaced). An asan build loads only into a node started with the compiler's
// libasan preloaded (sanitizerEnv() in lib/testkit), and MC_NATIVE_BUILD=asan makes the services'
// loaders (and the packages' native/build.mjs) pick the asan file.
//
// Usage: node scripts/build-addon.mjs --name <module> --out <dir/x.node> <src.cc>... \
//          [--variant release|asan] [--optional] [--force] [--quiet]
// Library: import { buildAddon } from "../../scripts/build-addon.mjs"

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The N-API helpers every addon shares (mc-napi.h). */
const SHARED_INCLUDE = join(dirname(fileURLToPath(import.meta.url)), "native");

/** Directory holding node_api.h and uv.h for the running Node. */
export function nodeIncludeDir() {
  const candidates = [
    resolve(process.execPath, "../../include/node"),
    "/usr/include/node",
    "/usr/local/include/node",
  ];
  return candidates.find((d) => existsSync(join(d, "node_api.h")) && existsSync(join(d, "uv.h")));
}

export const VARIANTS = ["release", "asan"];

/** The variant MC_NATIVE_BUILD names ("" or unset: release); throws on an unknown name. */
export function variantFromEnv(env = process.env) {
  const v = env.MC_NATIVE_BUILD || "release";
  if (!VARIANTS.includes(v)) throw new Error(`MC_NATIVE_BUILD: unknown build ${v} (release, asan)`);
  return v;
}

/** Where a variant of the addon whose release build is `output` goes: asan in build/asan/. */
export function variantOutput(output, variant = "release") {
  if (!VARIANTS.includes(variant)) throw new Error(`unknown addon variant ${variant}`);
  return variant === "release" ? output : join(dirname(output), variant, basename(output));
}

const SANITIZE = [
  "-fsanitize=address,undefined",
  "-fno-omit-frame-pointer",
  "-fno-sanitize-recover=undefined",
];
const FLAGS = { release: ["-O2"], asan: ["-O1", "-g", ...SANITIZE] };

/** Newest modification time of the sources and of the headers beside them. */
function newestInput(sources) {
  let newest = 0;
  const dirs = new Set([...sources.map((s) => dirname(s)), SHARED_INCLUDE]);
  const headers = [...dirs].flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith(".h"))
      .map((f) => join(d, f)),
  );
  for (const f of [...sources, ...headers]) newest = Math.max(newest, statSync(f).mtimeMs);
  return newest;
}

/**
 * Compiles `sources` into the shared library `output` (module name `name`), or for the asan
 * variant into variantOutput(output, "asan"), unless an up-to-date build exists; returns the path
 * of the library or throws.
 */
export function buildAddon({
  name,
  sources,
  output: releaseOutput,
  variant = "release",
  force = false,
  quiet = false,
}) {
  if (!name || !releaseOutput || !sources?.length)
    throw new Error("buildAddon: name, sources, output");
  const output = variantOutput(releaseOutput, variant);
  if (!force && existsSync(output) && statSync(output).mtimeMs >= newestInput(sources))
    return output;
  if (process.platform !== "linux") throw new Error(`${name} needs Linux`);
  const include = nodeIncludeDir();
  if (!include) throw new Error("Node headers (node_api.h, uv.h) not found");
  mkdirSync(dirname(output), { recursive: true });
  // Build to a private name and rename: concurrent builds (parallel test files) never see a
  // half-written library.
  const tmp = `${output}.${process.pid}.tmp`;
  try {
    execFileSync(
      process.env.CXX || "g++",
      [
        ...FLAGS[variant],
        "-std=c++17",
        "-shared",
        "-fPIC",
        "-pthread",
        "-fvisibility=hidden",
        "-Wall",
        "-Wextra",
        "-Werror",
        `-DNODE_GYP_MODULE_NAME=${name}`,
        "-DNAPI_VERSION=8",
        `-I${include}`,
        `-I${SHARED_INCLUDE}`,
        "-o",
        tmp,
        ...sources,
      ],
      { stdio: quiet ? "ignore" : "inherit" },
    );
    renameSync(tmp, output);
  } finally {
    rmSync(tmp, { force: true });
  }
  return output;
}

/** Parses the command line; relative paths are taken from the current directory. */
export function parseArgs(argv) {
  const o = {
    sources: [],
    optional: false,
    force: false,
    quiet: false,
    name: "",
    output: "",
    variant: "release",
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--optional") o.optional = true;
    else if (a === "--force") o.force = true;
    else if (a === "--quiet") o.quiet = true;
    else if (a === "--name") o.name = argv[++i] ?? "";
    else if (a === "--out") o.output = resolve(argv[++i] ?? "");
    else if (a === "--variant") o.variant = argv[++i] ?? "";
    else o.sources.push(resolve(a));
  }
  return o;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const o = parseArgs(process.argv.slice(2));
  try {
    const p = buildAddon(o);
    if (!o.quiet) console.log(`built ${p}`);
  } catch (err) {
    console.error(`${o.name || "addon"} not built (${err.message}); the portable path is used`);
    process.exit(o.optional ? 0 : 1);
  }
}
