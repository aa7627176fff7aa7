// The local platform's ports, all in one place: one base (`--port-base` / $MC_PORT_BASE) and a
// fixed offset per listener. The free-port check runs before anything is written to disk.
import { createSocket } from "node:dgram";
import { createServer } from "node:net";
import type { PortSpec, ServiceDescriptor } from "./descriptor.ts";
import { describePortOwner } from "./port-owner.ts";
import { SERVICES } from "./registry.ts";

export const DEFAULT_PORT_BASE = 18443;

/** Every service's ports by key, ordered by offset; throws when two share a key or an offset. */
export function portLayout(services: readonly ServiceDescriptor[]): PortSpec[] {
  const all = services.flatMap((s) => s.ports).sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < all.length; i++) {
    const [a, b] = [all[i - 1]!, all[i]!];
    if (a.offset === b.offset)
      throw new Error(`ports ${a.key} and ${b.key} both use offset ${a.offset}`);
  }
  const keys = new Set(all.map((p) => p.key));
  if (keys.size !== all.length) throw new Error("two services declare the same port key");
  return all;
}

export const PORT_LAYOUT = portLayout(SERVICES);

/** Port key -> port number for one base. */
export type Ports = Readonly<Record<string, number>>;

export const PORT_SPAN = Math.max(...PORT_LAYOUT.map((p) => p.offset)) + 1;

export function portsFrom(base: number): Ports {
  const out: Record<string, number> = {};
  for (const p of PORT_LAYOUT) out[p.key] = base + p.offset;
  return out;
}

/** The port of a key of the layout; throws for a key no service declares. */
export function portOf(ports: Ports, key: string): number {
  const port = ports[key];
  if (port === undefined)
    throw new Error(`no port "${key}" in the layout (scripts/start/services)`);
  return port;
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
  for (const spec of PORT_LAYOUT) {
    const port = portOf(ports, spec.key);
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
