// Builds the batched-UDP addon (udp_batch.cc) with a plain g++ command line against the Node
// headers that ship with the nodejs package; nothing is downloaded. Run by `npm ci`/`npm install`
// (the package's install script) and on demand by the tests. MCNS falls back to node:dgram when
// the addon is missing, so a failed build only costs speed: with --optional the exit code is 0.
// Usage: node services/mcns/native/build.mjs [--optional] [--quiet]

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const ADDON_PATH = join(here, "build", "udp_batch.node");
const SOURCE = join(here, "udp_batch.cc");

/** Directory holding node_api.h and uv.h for the running Node. */
function nodeIncludeDir() {
  const candidates = [
    resolve(process.execPath, "../../include/node"),
    "/usr/include/node",
    "/usr/local/include/node",
  ];
  return candidates.find((d) => existsSync(join(d, "node_api.h")) && existsSync(join(d, "uv.h")));
}

/** Compiles the addon unless an up-to-date build exists; returns the path or throws. */
export function buildAddon({ force = false, quiet = false } = {}) {
  if (!force && existsSync(ADDON_PATH) && statSync(ADDON_PATH).mtimeMs >= statSync(SOURCE).mtimeMs)
    return ADDON_PATH;
  if (process.platform !== "linux") throw new Error("udp_batch needs Linux (recvmmsg/sendmmsg)");
  const include = nodeIncludeDir();
  if (!include) throw new Error("Node headers (node_api.h, uv.h) not found");
  mkdirSync(dirname(ADDON_PATH), { recursive: true });
  // Build to a private name and rename: concurrent builds (parallel test files) never see a
  // half-written library.
  const tmp = `${ADDON_PATH}.${process.pid}.tmp`;
  try {
    execFileSync(
      process.env.CXX || "g++",
      [
        "-O2",
        "-std=c++17",
        "-shared",
        "-fPIC",
        "-fvisibility=hidden",
        "-Wall",
        "-DNODE_GYP_MODULE_NAME=udp_batch",
        "-DNAPI_VERSION=8",
        `-I${include}`,
        "-o",
        tmp,
        SOURCE,
      ],
      { stdio: quiet ? "ignore" : "inherit" },
    );
    renameSync(tmp, ADDON_PATH);
  } finally {
    rmSync(tmp, { force: true });
  }
  return ADDON_PATH;
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
