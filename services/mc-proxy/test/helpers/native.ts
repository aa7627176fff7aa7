// Builds the ingress addon when a test needs it and it is missing or stale (npm ci normally
// builds it through the package's install script). A failed build fails the test: CI installs
// g++ (.ci/apt-packages.txt), so the native path must be exercised there. The build is the one
// MC_NATIVE_BUILD names (release, or asan under the sanitizer run), unless `variant` asks for
// another.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

const BUILD = resolve(import.meta.dirname, "../../native/build.mjs");

export function ensureIngressAddon(variant?: "release" | "asan"): void {
  const env = variant ? { ...process.env, MC_NATIVE_BUILD: variant } : process.env;
  execFileSync(process.execPath, [BUILD, "--quiet"], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
}
