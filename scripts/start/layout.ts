// Where everything of the local platform lives inside the data dir, and the small state file
// that remembers the port base between starts.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Layout {
  root: string;
  stateFile: string;
  passwordFile: string;
  caDir: string;
  caCert: string;
  logsDir: string;
  mcias: { dir: string; config: string; db: string };
  mcns: { dir: string; config: string; db: string };
  proxy: { dir: string; config: string; db: string; socket: string };
}

export function layoutOf(root: string): Layout {
  const svc = (name: string) => ({
    dir: join(root, name),
    config: join(root, name, `${name}.toml`),
    db: join(root, name, `${name}.db`),
  });
  const proxy = svc("mc-proxy");
  return {
    root,
    stateFile: join(root, "platform.json"),
    passwordFile: join(root, "admin-password"),
    caDir: join(root, "ca"),
    caCert: join(root, "ca", "ca.crt"),
    logsDir: join(root, "logs"),
    mcias: svc("mcias"),
    mcns: svc("mcns"),
    proxy: { ...proxy, socket: join(proxy.dir, "mc-proxy.sock") },
  };
}

export interface PlatformState {
  port_base: number;
}

export function readState(l: Layout): PlatformState | undefined {
  if (!existsSync(l.stateFile)) return undefined;
  try {
    const s = JSON.parse(readFileSync(l.stateFile, "utf8")) as Partial<PlatformState>;
    return typeof s.port_base === "number" ? { port_base: s.port_base } : undefined;
  } catch {
    return undefined;
  }
}

export function writeState(l: Layout, s: PlatformState): void {
  writeFileSync(l.stateFile, `${JSON.stringify(s, null, 2)}\n`, { mode: 0o600 });
}
