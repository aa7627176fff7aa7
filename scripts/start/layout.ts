// Where everything of the local platform lives inside the data dir, and the small state file
// that remembers the port base (and what MC-Proxy's database was seeded with) between starts.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A service's folder <data>/<name>/ with its generated config and its database. */
export interface ServiceFiles {
  dir: string;
  config: string;
  db: string;
}

export interface Layout {
  root: string;
  stateFile: string;
  passwordFile: string;
  caDir: string;
  caCert: string;
  logsDir: string;
  service(name: string): ServiceFiles;
  mcias: ServiceFiles;
  proxy: ServiceFiles & { socket: string };
}

export function layoutOf(root: string): Layout {
  const service = (name: string): ServiceFiles => ({
    dir: join(root, name),
    config: join(root, name, `${name}.toml`),
    db: join(root, name, `${name}.db`),
  });
  const proxy = service("mc-proxy");
  return {
    root,
    stateFile: join(root, "platform.json"),
    passwordFile: join(root, "admin-password"),
    caDir: join(root, "ca"),
    caCert: join(root, "ca", "ca.crt"),
    logsDir: join(root, "logs"),
    service,
    mcias: service("mcias"),
    proxy: { ...proxy, socket: join(proxy.dir, "mc-proxy.sock") },
  };
}

export interface PlatformState {
  port_base: number;
  /** What MC-Proxy's database was seeded with (listeners and routes); absent before it was kept. */
  proxy_seed?: string;
}

export function readState(l: Layout): PlatformState | undefined {
  if (!existsSync(l.stateFile)) return undefined;
  try {
    const s = JSON.parse(readFileSync(l.stateFile, "utf8")) as Partial<PlatformState>;
    if (typeof s.port_base !== "number") return undefined;
    return typeof s.proxy_seed === "string"
      ? { port_base: s.port_base, proxy_seed: s.proxy_seed }
      : { port_base: s.port_base };
  } catch {
    return undefined;
  }
}

export function writeState(l: Layout, s: PlatformState): void {
  writeFileSync(l.stateFile, `${JSON.stringify(s, null, 2)}\n`, { mode: 0o600 });
}
