// The CLI profile: where the local platform is, for CLIs started from any directory. Written on
// every start to $XDG_CONFIG_HOME/metacircular/profile.json (default ~/.config/...), mode 0600.
// The format is documented in the README ("CLI profile"); `version` changes when it breaks.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ADMIN_USERNAME } from "./admin-password.ts";
import type { PlatformContext, ServiceDescriptor } from "./descriptor.ts";

export const PROFILE_VERSION = 1;

/** The common part; every service with a `profile` adds its entry under its key. */
export interface CliProfile {
  version: number;
  profile: "local";
  written_by: "npm start";
  data_dir: string;
  ca_cert: string;
  admin: { username: string; password_file: string | null };
  [service: string]: unknown;
}

export function profileDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME?.startsWith("/")
    ? env.XDG_CONFIG_HOME
    : join(homedir(), ".config");
  return join(base, "metacircular");
}

export function buildProfile(
  services: readonly ServiceDescriptor[],
  c: PlatformContext,
  passwordFile: string | null,
): CliProfile {
  const profile: CliProfile = {
    version: PROFILE_VERSION,
    profile: "local",
    written_by: "npm start",
    data_dir: c.layout.root,
    ca_cert: c.layout.caCert,
    admin: { username: ADMIN_USERNAME, password_file: passwordFile },
  };
  for (const s of services) if (s.profile) profile[s.profile.key] = s.profile.entry(c);
  return profile;
}

/** Writes the profile atomically (temp file + rename) and returns its path. */
export function writeProfile(env: NodeJS.ProcessEnv, profile: CliProfile): string {
  const dir = profileDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, "profile.json");
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
  return path;
}
