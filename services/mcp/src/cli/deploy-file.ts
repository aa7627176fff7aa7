// One definition file deployed on the node it names: validated here first (refused before any
// network call), then its text sent to that node's agent.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { onNode } from "./agent-client.ts";
import { nodeNamed } from "./cli-config.ts";
import { type CommandContext, readDefinition } from "./context.ts";

export interface Deployed {
  service: string;
  node: string;
  containers: Array<{ name: string; outcome: string }>;
  routes: Array<{ hostname: string; listenerPort: number; mode: string; hostPort: number }>;
}

export async function deployFile(c: CommandContext, path: string): Promise<Deployed> {
  const def = readDefinition(path);
  const text = readFileSync(path, "utf8");
  const r = await onNode(nodeNamed(c.cfg, def.node), c.token, (api) =>
    api.deploy({ definition: text, fileName: basename(path) }),
  );
  return {
    service: r.service,
    node: def.node,
    containers: r.containers.map((x) => ({ name: x.name, outcome: x.outcome })),
    routes: r.routes.map((x) => ({
      hostname: x.hostname,
      listenerPort: x.listenerPort,
      mode: x.mode,
      hostPort: x.hostPort,
    })),
  };
}
