// Host ports for routes: a route keeps the port it had (stable across redeploys, so clients and
// firewall rules never chase it); a new route gets a random free one in the configured range,
// not held by another route in the registry and bindable on the node address right now.
import { createServer } from "node:net";
import { AppError } from "@metacircular/mcdsl/errors";
import type { RouteRow } from "../db/registry.ts";
import type { ServiceDef } from "../servicedef/schema.ts";
import { routeKey } from "./plan.ts";

export function bindable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen({ host, port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

export interface PortRange {
  min: number;
  max: number;
}

export async function allocatePorts(
  def: ServiceDef,
  existing: RouteRow[],
  used: Set<number>,
  range: PortRange,
  host: string,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const taken = new Set(used);
  for (const r of existing) out.set(routeKey(r.component, r.name), r.hostPort);
  for (const c of def.components) {
    for (const r of c.routes) {
      const key = routeKey(c.name, r.name ?? "");
      if (out.has(key)) continue;
      out.set(key, await pick(taken, range, host));
    }
  }
  return out;
}

/**
 * The ports a rolled component's routes move to: each route's spare port (kept in the registry
 * from its last move; a new one when it has none or it cannot be bound now). `taken` holds
 * every port already in use on the node, the route's current ones included.
 */
export async function sparePorts(
  keys: string[],
  prior: RouteRow[],
  taken: Set<number>,
  range: PortRange,
  host: string,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const key of keys) {
    const had = prior.find((r) => routeKey(r.component, r.name) === key)?.sparePort;
    out.set(
      key,
      had !== undefined && (await bindable(host, had)) ? had : await pick(taken, range, host),
    );
  }
  return out;
}

async function pick(taken: Set<number>, range: PortRange, host: string): Promise<number> {
  const span = range.max - range.min + 1;
  for (let i = 0; i < 200; i++) {
    const port = range.min + Math.floor(Math.random() * span);
    if (taken.has(port)) continue;
    taken.add(port);
    if (await bindable(host, port)) return port;
  }
  throw new AppError(503, "no_free_port", `no free host port in ${range.min}-${range.max}`);
}
