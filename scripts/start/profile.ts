// The CLI profile: where the local platform is, for CLIs started from any directory. Written on
// every start to $XDG_CONFIG_HOME/metacircular/profile.json (default ~/.config/...), mode 0600.
// The format is documented in the README ("CLI profile"); `version` changes when it breaks.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ADMIN_USERNAME } from "./admin-password.ts";
import type { Layout } from "./layout.ts";
import type { Ports } from "./ports.ts";
import { webOrigin } from "./web-routes.ts";

export const PROFILE_VERSION = 1;

export interface CliProfile {
  version: number;
  profile: "local";
  written_by: "npm start";
  data_dir: string;
  ca_cert: string;
  admin: { username: string; password_file: string | null };
  mcias: { url: string; web_url: string; grpc_addr: string };
  mcns: { url: string; web_url: string; grpc_addr: string; dns_addr: string };
  mc_proxy: { socket: string; listener: string; listen_addr: string; metrics_url: string };
}

export function profileDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME?.startsWith("/")
    ? env.XDG_CONFIG_HOME
    : join(homedir(), ".config");
  return join(base, "metacircular");
}

export function buildProfile(l: Layout, p: Ports, passwordFile: string | null): CliProfile {
  const addr = (port: number) => `127.0.0.1:${port}`;
  return {
    version: PROFILE_VERSION,
    profile: "local",
    written_by: "npm start",
    data_dir: l.root,
    ca_cert: l.caCert,
    admin: { username: ADMIN_USERNAME, password_file: passwordFile },
    mcias: {
      url: `http://${addr(p.mciasHttp)}`,
      web_url: webOrigin("mcias", p),
      grpc_addr: addr(p.mciasGrpc),
    },
    mcns: {
      url: `http://${addr(p.mcnsHttp)}`,
      web_url: webOrigin("mcns", p),
      grpc_addr: addr(p.mcnsGrpc),
      dns_addr: addr(p.mcnsDns),
    },
    mc_proxy: {
      socket: l.proxy.socket,
      listener: "web",
      listen_addr: addr(p.web),
      metrics_url: `http://${addr(p.proxyMetrics)}/metrics`,
    },
  };
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
