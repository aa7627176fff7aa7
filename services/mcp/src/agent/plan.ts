// From a definition and its host ports to what should exist: one container spec per component
// (with $PORT / $PORT_<NAME>) and one proxy route per declared route. Pure: no I/O.
import { createHash } from "node:crypto";
import type { RouteRow } from "../db/registry.ts";
import type { ContainerSpec } from "../podman/types.ts";
import type { ComponentDef, ServiceDef } from "../servicedef/schema.ts";

export const LABEL_SERVICE = "mcp.service";
export const LABEL_COMPONENT = "mcp.component";
export const LABEL_SPEC = "mcp.spec";

export const containerName = (svc: string, comp: string): string => `${svc}-${comp}`;

/** The registry key of a route: its component and its name ("" when unnamed). */
export const routeKey = (component: string, name: string): string => `${component}/${name}`;

export const portEnvName = (routeName: string): string =>
  routeName === "" ? "PORT" : `PORT_${routeName.toUpperCase().replace(/-/g, "_")}`;

export interface PlannedComponent {
  def: ComponentDef;
  spec: ContainerSpec;
  specHash: string;
}

export interface Plan {
  components: PlannedComponent[];
  routes: RouteRow[];
}

function envOf(c: ComponentDef): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of c.env) {
    const eq = e.indexOf("=");
    env[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return env;
}

function volumes(c: ComponentDef): ContainerSpec["volumes"] {
  return c.volumes.map((v) => {
    const [source = "", destination = "", opts = ""] = v.split(":");
    return { source, destination, readOnly: opts.split(",").includes("ro") };
  });
}

export function planService(
  def: ServiceDef,
  ports: Map<string, number>,
  opts: { zone: string; hostIp: string },
): Plan {
  const routes: RouteRow[] = [];
  const components = def.components.map((c) => {
    const env = envOf(c);
    const mappings: ContainerSpec["ports"] = [];
    for (const r of c.routes) {
      const name = r.name ?? "";
      const hostPort = ports.get(routeKey(c.name, name));
      if (hostPort === undefined) throw new Error(`no host port for ${routeKey(c.name, name)}`);
      env[portEnvName(name)] = String(hostPort);
      mappings.push({ hostIp: opts.hostIp, hostPort, containerPort: hostPort });
      routes.push({
        service: def.name,
        component: c.name,
        name,
        listenerPort: r.port,
        mode: r.mode,
        hostname: r.hostname ?? `${def.name}.${opts.zone}`,
        public: r.public,
        hostPort,
        registered: false,
      });
    }
    const spec: ContainerSpec = {
      name: containerName(def.name, c.name),
      image: c.image,
      ...(c.cmd ? { cmd: c.cmd } : {}),
      env,
      ports: mappings,
      volumes: volumes(c),
      ...(c.user ? { user: c.user } : {}),
      ...(c.network ? { network: c.network } : {}),
      restart: c.restart,
      init: true,
      labels: { [LABEL_SERVICE]: def.name, [LABEL_COMPONENT]: c.name },
    };
    const specHash = createHash("sha256").update(JSON.stringify(spec)).digest("hex").slice(0, 32);
    spec.labels[LABEL_SPEC] = specHash;
    return { def: c, spec, specHash };
  });
  return { components, routes };
}
