// Start the real mc-proxy process with a temp-dir config and read its bound listener addresses.
import { writeFileSync } from "node:fs";
import { type ChildService, REPO_ROOT, startProcess } from "@metacircular/testkit";
import { stringify } from "smol-toml";
import { ensureIngressAddon } from "./native.ts";

export const ENTRY = `${REPO_ROOT}/services/mc-proxy/src/cmd/mc-proxy.ts`;

export interface ProxyProcess {
  child: ChildService;
  listeners: Record<string, string>;
  socket: string;
  metrics: string;
  configPath: string;
  /** host:port of a listener */
  port(name: string): number;
  stop(): Promise<number | string>;
}

export async function startProxy(
  dir: string,
  config: Record<string, unknown>,
  name = "proxy",
  entry = ENTRY,
): Promise<ProxyProcess> {
  const socket = `${dir}/${name}.sock`;
  const full = {
    server: { workers: 0, shutdown_timeout_ms: 2000, access_log: false },
    admin: { socket },
    metrics: { listen_addr: "127.0.0.1:0" },
    database: { path: `${dir}/${name}.db` },
    log: { level: "info" },
    ...config,
  };
  const configPath = `${dir}/${name}.toml`;
  writeFileSync(configPath, stringify(full));
  return launch(configPath, socket, entry);
}

let addonChecked = false;

/** Runs the TypeScript entry under tsx, or a built bundle (a .cjs/.mjs path) on plain node. */
export async function launch(
  configPath: string,
  socket: string,
  entry = ENTRY,
): Promise<ProxyProcess> {
  if (!addonChecked) ensureIngressAddon();
  addonChecked = true;
  const args = ["server", "--config", configPath];
  const child = entry.endsWith(".ts")
    ? startProcess(entry, { args })
    : startProcess(process.execPath, { args: [entry, ...args] });
  const m = await child.waitForLine(/"msg":"ready"/, 30_000);
  const line = JSON.parse(m.input ?? "{}") as {
    listeners: Record<string, string>;
    metrics: string;
  };
  return {
    child,
    listeners: line.listeners,
    socket,
    metrics: line.metrics,
    configPath,
    port: (n) => Number(line.listeners[n]?.split(":").pop()),
    stop: () => child.stop(10_000),
  };
}

/** The connection I/O paths the L4/routing/firewall tests run under. */
export const IO_MODES = ["auto", "node"] as const;
export type IoMode = (typeof IO_MODES)[number];

/** Sets [server] io on a test config, keeping the harness's server defaults. */
export function withIo(io: IoMode, config: Record<string, unknown>): Record<string, unknown> {
  const server = (config.server as Record<string, unknown> | undefined) ?? {
    workers: 0,
    shutdown_timeout_ms: 2000,
    access_log: false,
  };
  return { ...config, server: { ...server, io } };
}
