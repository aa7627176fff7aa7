// Commands that look: ps, status, node list, agent status. Tables by default, --json for scripts.
import { formatTable, printResult } from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import { onNode } from "./agent-client.ts";
import type { NodeConfig } from "./cli-config.ts";
import { context, serviceNode } from "./context.ts";

const portsText = (ps: number[]) => ps.join(",");

export function addViewCommands(program: Command): void {
  program
    .command("ps")
    .description("every managed container on every node")
    .action(async function (this: Command) {
      const c = context(this);
      const rows = [];
      for (const n of c.cfg.nodes) {
        const r = await onNode(n, c.token, (api) => api.listComponents({}));
        for (const x of r.components) {
          rows.push({
            node: n.name,
            service: x.service,
            component: x.component,
            state: x.state,
            desired: x.desired,
            health: x.health,
            image: x.image,
            ports: [...x.ports],
          });
        }
      }
      printResult(this, rows, (rs) =>
        formatTable(
          rs.map((x) => ({ ...x, ports: portsText(x.ports) })),
          ["node", "service", "component", "state", "desired", "health", "image", "ports"],
        ),
      );
    });

  addStatusCommand(program);
  addNodeCommands(program);
}

function addStatusCommand(program: Command): void {
  program
    .command("status <service>")
    .description("one service in detail: containers, routes, DNS, recent events, deploy history")
    .action(async function (this: Command, service: string) {
      const c = context(this);
      const s = await onNode(serviceNode(c, service), c.token, (api) =>
        api.getServiceStatus({ name: service }),
      );
      const data = {
        name: s.name,
        node: s.node,
        desired: s.desired,
        health: s.health,
        components: s.components.map((x) => ({
          component: x.component,
          state: x.state,
          image: x.image,
        })),
        routes: s.routes.map((r) => ({
          hostname: r.hostname,
          listener_port: r.listenerPort,
          mode: r.mode,
          host_port: r.hostPort,
          registered: r.registered,
        })),
        dns: [...s.dns],
        events: s.events.map((e) => ({ at: e.at, kind: e.kind, message: e.message })),
        history: s.history.map((h) => ({
          deploy: Number(h.id),
          at: h.at,
          kind: h.kind,
          outcome: h.failedStep ? `${h.outcome} (${h.failedStep})` : h.outcome,
          actor: h.actor,
          images: h.images.join(" "),
        })),
      };
      printResult(this, data, (d) =>
        [
          `${d.name} on ${d.node} (desired: ${d.desired}, health: ${d.health})`,
          formatTable(d.components),
          formatTable(d.routes),
          ...d.dns.map((x) => `dns: ${x}`),
          formatTable(d.events),
          "history:",
          formatTable(d.history),
        ].join("\n"),
      );
    });
}

function addNodeCommands(program: Command): void {
  const node = program.command("node").description("the nodes in mcp.toml");
  node
    .command("list")
    .description("nodes, their agent addresses (tried in order) and the one that answered")
    .action(async function (this: Command) {
      const c = context(this);
      const rows = [];
      for (const n of c.cfg.nodes) rows.push(await nodeRow(n, c.token));
      printResult(this, rows, (rs) => formatTable(rs));
    });

  const agent = program.command("agent").description("the node agents");
  agent
    .command("recover [node]")
    .description(
      "redeploy every service that should run, from the agent's registry, on the same ports",
    )
    .action(async function (this: Command, nodeName?: string) {
      const c = context(this);
      const nodes = c.cfg.nodes.filter((n) => !nodeName || n.name === nodeName);
      const rows = [];
      for (const n of nodes) {
        const r = await onNode(n, c.token, (api) => api.recover({}));
        for (const s of r.services)
          rows.push({
            node: n.name,
            stage: s.stage,
            service: s.name,
            result: s.error || "running",
          });
      }
      printResult(this, rows, (rs) => (rs.length ? formatTable(rs) : "nothing to recover"));
    });
  agent
    .command("status")
    .description("each node's agent: version, podman, services, integrations")
    .action(async function (this: Command) {
      const c = context(this);
      const rows = [];
      for (const n of c.cfg.nodes) {
        try {
          const s = await onNode(n, c.token, (api) => api.getAgentStatus({}));
          rows.push({
            node: n.name,
            version: s.version,
            podman: s.podmanVersion,
            services: s.services,
            proxy: s.proxyEnabled,
            dns: s.dnsEnabled,
            pull: s.pullEnabled,
            error: "",
          });
        } catch (e) {
          rows.push({
            node: n.name,
            version: "",
            podman: "",
            services: 0,
            proxy: false,
            dns: false,
            pull: false,
            error: (e as Error).message,
          });
        }
      }
      printResult(this, rows, (rs) => formatTable(rs));
    });
}

/** A node as configured, and which of its addresses answered (tried in order), or the error. */
async function nodeRow(n: NodeConfig, token: string | undefined) {
  const base = {
    name: n.name,
    address: n.address,
    fallback: n.fallback.join(","),
    arch: n.arch ?? "",
    ssh: n.ssh ?? "",
  };
  try {
    const r = await onNode(n, token, async (api, url) => ({
      s: await api.getAgentStatus({}),
      url,
    }));
    return { ...base, reached: r.url, version: r.s.version, error: "" };
  } catch (e) {
    return { ...base, reached: "", version: "", error: (e as Error).message };
  }
}
