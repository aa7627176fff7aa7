// Builds the batched-UDP addon (services/mcns/native) when a test needs it and it is not built
// yet (npm ci normally builds it through the package's install script). Build failures fail the
// test: CI installs g++ (.ci/apt-packages.txt), so the native path must be exercised there.
// The build is the one MC_NATIVE_BUILD names (release, or asan under the sanitizer run), unless
// `variant` asks for another.

import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BUILD = fileURLToPath(new URL("../../native/build.mjs", import.meta.url));

export function ensureUdpAddon(variant?: "release" | "asan"): void {
  const env = variant ? { ...process.env, MC_NATIVE_BUILD: variant } : process.env;
  execFileSync(process.execPath, [BUILD, "--quiet"], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
}

/** Both UDP receive/send paths, for tests that run once per path. */
export const UDP_IOS = ["native", "dgram"] as const;
