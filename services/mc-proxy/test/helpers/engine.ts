// An in-process engine on the native ingress (or node:net) for tests that need its metrics and
// connection counts; the state is built from compact listener/route descriptions.
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { pino } from "pino";
import { Registry } from "prom-client";
import { Engine } from "../../src/engine.ts";
import { EMPTY_RULES, type FirewallRules } from "../../src/firewall/firewall.ts";
import { createMetrics } from "../../src/metrics/metrics.ts";
import { type ListenerSpec, ROUTE_DEFAULTS, type RouteSpec } from "../../src/state/types.ts";
import { ensureIngressAddon } from "./native.ts";

export interface TestEngine {
  engine: Engine;
  registry: Registry;
  port(listener: string): number;
  metrics(): Promise<string>;
}

export async function startEngine(
  listeners: (Partial<ListenerSpec> & { name: string })[],
  routes: (Partial<RouteSpec> & Pick<RouteSpec, "listener" | "hostname" | "backend" | "mode">)[],
  opts: {
    io?: "auto" | "native" | "node";
    firewall?: Partial<FirewallRules>;
    helloTimeoutMs?: number;
  } = {},
): Promise<TestEngine> {
  if (opts.io !== "node") ensureIngressAddon();
  const registry = new Registry();
  const engine = new Engine({
    logger: pino({ level: "silent" }),
    metrics: createMetrics(registry),
    accessLog: false,
    // Generous by default: a client whose first bytes arrive later than this (a loaded machine,
    // the sanitizer build) is closed before it is served. Tests of the timeout pass their own.
    helloTimeoutMs: opts.helloTimeoutMs ?? 3_000,
    handshakeTimeoutMs: 5_000,
    exclusive: true,
    io: opts.io ?? "native",
    ioThreads: 2,
  });
  await engine.apply({
    listeners: listeners.map((l) => ({
      addr: "127.0.0.1:0",
      proxyProtocol: false,
      trustedProxies: [],
      ...l,
    })),
    routes: routes.map((r) => ({ ...ROUTE_DEFAULTS, ...r })),
    firewall: { ...EMPTY_RULES, ...opts.firewall },
  });
  return {
    engine,
    registry,
    port: (n) => Number(engine.addresses()[n]?.split(":").pop()),
    metrics: () => registry.metrics(),
  };
}

/** A raw TCP backend; `onConn` gets every accepted socket. */
export async function tcpBackend(
  onConn: (s: Socket) => void,
): Promise<{ addr: string; server: Server }> {
  const server = createServer({ allowHalfOpen: true }, onConn);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { addr: `127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Number of open descriptors of this process. */
export async function openFds(): Promise<number> {
  const { readdirSync } = await import("node:fs");
  return readdirSync("/proc/self/fd").length;
}
