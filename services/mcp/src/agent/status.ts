// What runs and how it compares with the registry: `mcp ps` (every component of every service,
// with the container's live state) and `mcp status <service>` (one service in detail).
import { AppError } from "@metacircular/mcdsl/errors";
import type { EventRow, RouteRow } from "../db/registry.ts";
import type { ContainerState } from "../podman/types.ts";
import type { AgentDeps } from "./deps.ts";
import { type HistoryEntry, history } from "./history.ts";

export interface ComponentStatus {
  service: string;
  component: string;
  container: string;
  image: string;
  desired: "running" | "stopped";
  health: "ok" | "flapping";
  /** The container's state now; "missing" when podman has no such container. */
  state: ContainerState | "missing";
  ports: number[];
}

export interface ServiceStatus {
  name: string;
  node: string;
  desired: "running" | "stopped";
  health: "ok" | "flapping";
  components: ComponentStatus[];
  routes: RouteRow[];
  dns: string[];
  events: EventRow[];
  /** The last deploys, newest first. */
  history: HistoryEntry[];
}

export async function listComponents(d: AgentDeps): Promise<ComponentStatus[]> {
  const live = new Map((await d.podman.listContainers("mcp.service")).map((c) => [c.name, c]));
  const out: ComponentStatus[] = [];
  for (const s of d.registry.listServices()) {
    const routes = d.registry.routes(s.name);
    for (const c of d.registry.components(s.name)) {
      out.push({
        service: s.name,
        component: c.name,
        container: c.container,
        image: c.image,
        desired: s.desired,
        health: s.health,
        state: live.get(c.container)?.state ?? "missing",
        ports: routes.filter((r) => r.component === c.name).map((r) => r.hostPort),
      });
    }
  }
  return out;
}

export async function serviceStatus(d: AgentDeps, name: string): Promise<ServiceStatus> {
  const s = d.registry.getService(name);
  if (!s) throw AppError.notFound("unknown_service", `no service ${name} on node ${d.node.name}`);
  const components = (await listComponents(d)).filter((c) => c.service === name);
  return {
    name,
    node: s.node,
    desired: s.desired,
    health: s.health,
    components,
    routes: d.registry.routes(name),
    dns: d.registry.dnsRecords(name).map((r) => `${r.name}.${r.zone} ${r.type} ${r.value}`),
    events: d.registry.events(name, 20),
    history: history(d, name),
  };
}
