// Translation between the agent's container terms and libpod's JSON (SpecGenerator on create;
// the list and inspect shapes, which differ, on the way back).
import type { ContainerInfo, ContainerSpec, ContainerState, PortMapping } from "./types.ts";

export function toSpecGenerator(s: ContainerSpec): Record<string, unknown> {
  const net = s.network ?? "bridge";
  const special = net === "bridge" || net === "host" || net === "none";
  return {
    name: s.name,
    image: s.image,
    ...(s.cmd ? { command: s.cmd } : {}),
    env: s.env,
    labels: s.labels,
    init: s.init,
    restart_policy: s.restart,
    ...(s.user ? { user: s.user } : {}),
    netns: { nsmode: special ? net : "bridge" },
    ...(special ? {} : { networks: { [net]: {} } }),
    portmappings: s.ports.map((p) => ({
      host_ip: p.hostIp ?? "127.0.0.1",
      host_port: p.hostPort,
      container_port: p.containerPort,
      protocol: "tcp",
    })),
    mounts: s.volumes.map((v) => ({
      type: "bind",
      source: v.source,
      destination: v.destination,
      options: ["rbind", v.readOnly ? "ro" : "rw"],
    })),
  };
}

const STATES: readonly ContainerState[] = [
  "created",
  "running",
  "paused",
  "exited",
  "stopped",
  "removing",
];

function state(s: unknown): ContainerState {
  const v = typeof s === "string" ? s.toLowerCase() : "";
  if (v === "configured") return "created";
  return (STATES as readonly string[]).includes(v) ? (v as ContainerState) : "unknown";
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const num = (v: unknown): number => (typeof v === "number" ? v : 0);

function listPorts(v: unknown): PortMapping[] {
  return (Array.isArray(v) ? v : []).map((p) => {
    const o = obj(p);
    return {
      hostIp: str(o.host_ip),
      hostPort: num(o.host_port),
      containerPort: num(o.container_port),
    };
  });
}

function inspectPorts(v: unknown): PortMapping[] {
  const out: PortMapping[] = [];
  for (const [key, binds] of Object.entries(obj(v))) {
    const containerPort = Number.parseInt(key, 10);
    for (const b of Array.isArray(binds) ? binds : []) {
      const o = obj(b);
      out.push({ hostIp: str(o.HostIp), hostPort: Number(str(o.HostPort)), containerPort });
    }
  }
  return out;
}

/** Either shape: a /containers/json row or a /containers/{id}/json document. */
export function toContainerInfo(raw: unknown): ContainerInfo {
  const o = obj(raw);
  if ("Names" in o) {
    const names = Array.isArray(o.Names) ? o.Names.map(str) : [];
    return {
      id: str(o.Id),
      name: names[0] ?? "",
      image: str(o.Image),
      state: state(o.State),
      exitCode: num(o.ExitCode),
      labels: obj(o.Labels) as Record<string, string>,
      ports: listPorts(o.Ports),
      ...(o.StartedAt ? { startedAt: new Date(num(o.StartedAt) * 1000).toISOString() } : {}),
      restartCount: num(o.Restarts),
    };
  }
  const st = obj(o.State);
  const cfg = obj(o.Config);
  return {
    id: str(o.Id),
    name: str(o.Name),
    image: str(o.ImageName) || str(cfg.Image),
    state: state(st.Status),
    exitCode: num(st.ExitCode),
    labels: obj(cfg.Labels) as Record<string, string>,
    ports: inspectPorts(obj(o.HostConfig).PortBindings),
    ...(str(st.StartedAt) ? { startedAt: str(st.StartedAt) } : {}),
    restartCount: num(o.RestartCount),
  };
}
