// Commands that change a service on its node: deploy, stop, start, undeploy; and its logs.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { printResult } from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import { onNode } from "./agent-client.ts";
import { nodeNamed } from "./cli-config.ts";
import { context, definitionPath, readDefinition, serviceNode } from "./context.ts";

export function addServiceCommands(program: Command): void {
  program
    .command("deploy <service>")
    .description("deploy or redeploy a service from its definition (idempotent)")
    .option("-f, --file <path>", "the definition (default: <services dir>/<service>.toml)")
    .action(async function (this: Command, service: string, o: { file?: string }) {
      const c = context(this);
      const path = o.file ?? definitionPath(c.cfg, service);
      const def = readDefinition(path); // refused here, before any network call
      const text = readFileSync(path, "utf8");
      const r = await onNode(nodeNamed(c.cfg, def.node), c.token, (api) =>
        api.deploy({ definition: text, fileName: basename(path) }),
      );
      const data = {
        service: r.service,
        node: def.node,
        containers: r.containers,
        routes: r.routes,
      };
      printResult(this, data, (d) =>
        [
          `deployed ${d.service} on ${d.node}`,
          ...d.containers.map((x) => `  container ${x.name}: ${x.outcome}`),
          ...d.routes.map(
            (x) => `  route ${x.hostname}:${x.listenerPort} (${x.mode}) -> port ${x.hostPort}`,
          ),
        ].join("\n"),
      );
    });

  const simple = [
    ["stop", "take a service off the network (routes, DNS) and stop its containers", "stopped"],
    ["start", "start a stopped service as it was deployed", "started"],
    [
      "undeploy",
      "remove a service: containers, routes, DNS, certificates, registry rows",
      "undeployed",
    ],
  ] as const;
  for (const [name, description, done] of simple) {
    program
      .command(`${name} <service>`)
      .description(description)
      .action(async function (this: Command, service: string) {
        const c = context(this);
        const node = serviceNode(c, service);
        await onNode(node, c.token, async (api): Promise<void> => {
          if (name === "stop") await api.stopService({ name: service });
          else if (name === "start") await api.startService({ name: service });
          else await api.undeploy({ name: service });
        });
        printResult(
          this,
          { service, node: node.name, done },
          (d) => `${d.done} ${d.service} on ${d.node}`,
        );
      });
  }

  program
    .command("logs <service>")
    .description("the last lines of a component's container log")
    .option("--component <name>", "component (default: the first)")
    .option("--tail <n>", "lines", "100")
    .action(async function (
      this: Command,
      service: string,
      o: { component?: string; tail: string },
    ) {
      const c = context(this);
      const r = await onNode(serviceNode(c, service), c.token, (api) =>
        api.getLogs({ service, component: o.component ?? "", tail: Number(o.tail) }),
      );
      printResult(this, { text: r.text }, (d) => d.text);
    });
}
