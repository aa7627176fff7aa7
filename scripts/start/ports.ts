// The local platform's ports, all in one place: one base (`--port-base` / $MC_PORT_BASE) and a
// fixed offset per listener. The free-port check runs before anything is written to disk.
import { createSocket } from "node:dgram";
import { createServer } from "node:net";
import { describePortOwner } from "./port-owner.ts";

export const DEFAULT_PORT_BASE = 18443;

export const PORT_LAYOUT = {
  web: { offset: 0, label: "MC-Proxy HTTPS listener (web UIs)", udp: false },
  mciasHttp: { offset: 1, label: "MCIAS REST API", udp: false },
  mciasGrpc: { offset: 2, label: "MCIAS gRPC", udp: false },
  mcnsHttp: { offset: 3, label: "MCNS REST API", udp: false },
  mcnsGrpc: { offset: 4, label: "MCNS gRPC", udp: false },
  mcnsDns: { offset: 5, label: "MCNS DNS (UDP and TCP)", udp: true },
  proxyMetrics: { offset: 6, label: "MC-Proxy metrics", udp: false },
} as const;

export type PortName = keyof typeof PORT_LAYOUT;
export type Ports = Record<PortName, number>;

export const PORT_SPAN = Math.max(...Object.values(PORT_LAYOUT).map((p) => p.offset)) + 1;

export function portsFrom(base: number): Ports {
  const out = {} as Ports;
  for (const [name, p] of Object.entries(PORT_LAYOUT)) out[name as PortName] = base + p.offset;
  return out;
}

function tcpFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

function udpFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket("udp4");
    s.once("error", () => resolve(false));
    s.bind({ port, address: host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

export interface PortConflict {
  port: number;
  protocol: "tcp" | "udp";
  label: string;
  owner: string | undefined;
}

/** The first port of the layout that cannot be bound on 127.0.0.1, or undefined when all are free. */
export async function findPortConflict(ports: Ports): Promise<PortConflict | undefined> {
  for (const [name, spec] of Object.entries(PORT_LAYOUT)) {
    const port = ports[name as PortName];
    const checks: Array<"tcp" | "udp"> = spec.udp ? ["tcp", "udp"] : ["tcp"];
    for (const protocol of checks) {
      const free =
        protocol === "tcp" ? await tcpFree(port, "127.0.0.1") : await udpFree(port, "127.0.0.1");
      if (!free)
        return { port, protocol, label: spec.label, owner: describePortOwner(port, protocol) };
    }
  }
  return undefined;
}

/** One line naming the port, its role, its owner when known, and the way out. */
export function conflictMessage(c: PortConflict, base: number): string {
  const owner = c.owner ? ` by ${c.owner}` : " by another process";
  return (
    `npm start: port ${c.port}/${c.protocol} (${c.label}) on 127.0.0.1 is in use${owner}; ` +
    `nothing was started. Free it or choose other ports with --port-base <n> or MC_PORT_BASE ` +
    `(now ${base}, uses ${base}-${base + PORT_SPAN - 1}).`
  );
}
