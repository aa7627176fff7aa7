// A redeploy without downtime: which components move and to which ports. A component whose
// container runs the planned spec is kept; one that serves routes right now (container
// running, its routes registered with MC-Proxy) is rolled: its new container starts on the
// route's spare host port, and after the routes moved the two ports of the pair swap roles;
// anything else (first deploy, a stopped service, no routes, no proxy) is replaced in place.
import type { RouteRow } from "../db/registry.ts";
import type { ServiceDef } from "../servicedef/schema.ts";
import type { AgentDeps } from "./deps.ts";
import { LABEL_SPEC, type Plan, planService, routeKey } from "./plan.ts";
import { sparePorts } from "./ports.ts";

export type Action = "keep" | "replace" | "roll";

export interface Rollout {
  plan: Plan;
  /** By component name. */
  actions: Map<string, Action>;
}

async function decide(d: AgentDeps, def: ServiceDef, first: Plan): Promise<Map<string, Action>> {
  const svc = d.registry.getService(def.name);
  const rows = d.registry.routes(def.name);
  const out = new Map<string, Action>();
  for (const c of first.components) {
    const cur = await d.podman.inspectContainer(c.spec.name);
    const serving = rows.filter((r) => r.component === c.def.name);
    if (cur && cur.labels[LABEL_SPEC] === c.specHash) out.set(c.def.name, "keep");
    else if (
      cur?.state === "running" &&
      d.proxy &&
      svc?.desired === "running" &&
      c.def.routes.length > 0 &&
      serving.length > 0 &&
      serving.every((r) => r.registered)
    )
      out.set(c.def.name, "roll");
    else out.set(c.def.name, "replace");
  }
  return out;
}

/** The plan of this deploy: rolled components on their spare ports, the rest where they are. */
export async function planRollout(
  d: AgentDeps,
  def: ServiceDef,
  ports: Map<string, number>,
): Promise<Rollout> {
  const opts = { zone: d.zone, hostIp: d.node.address };
  const first = planService(def, ports, opts);
  const actions = await decide(d, def, first);
  const prior = d.registry.routes(def.name);
  const rolled = first.routes.filter((r) => actions.get(r.component) === "roll");
  const spareOf = new Map(prior.map((r) => [routeKey(r.component, r.name), r.sparePort]));
  if (rolled.length === 0) {
    for (const r of first.routes) setSpare(r, spareOf.get(routeKey(r.component, r.name)));
    return { plan: first, actions };
  }
  const keys = rolled.map((r) => routeKey(r.component, r.name));
  const taken = new Set([...d.registry.usedHostPorts(), ...ports.values()]);
  const moved = await sparePorts(keys, prior, taken, d.ports, d.node.address);
  const plan = planService(def, new Map([...ports, ...moved]), opts);
  for (const r of plan.routes) {
    const key = routeKey(r.component, r.name);
    setSpare(r, moved.has(key) ? ports.get(key) : spareOf.get(key));
  }
  return { plan, actions };
}

function setSpare(r: RouteRow, port: number | undefined): void {
  if (port !== undefined) r.sparePort = port;
}
