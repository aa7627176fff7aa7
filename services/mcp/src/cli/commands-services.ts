// Commands that change a service on its node: deploy, stop, start, undeploy; and its logs.
import { printResult } from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import { onNode } from "./agent-client.ts";
import type { NodeConfig } from "./cli-config.ts";
import { context, definitionPath, serviceNode } from "./context.ts";
import { deployFile } from "./deploy-file.ts";

export function addServiceCommands(program: Command): void {
  program
    .command("deploy <service>")
    .description("deploy or redeploy a service from its definition (idempotent)")
    .option("-f, --file <path>", "the definition (default: <services dir>/<service>.toml)")
    .action(async function (this: Command, service: string, o: { file?: string }) {
      const c = context(this);
      const data = await deployFile(c, o.file ?? definitionPath(c.cfg, service));
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
    ["restart", "stop a service and start it again as deployed", "restarted"],
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
          else if (name === "restart") await api.restartService({ name: service });
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
    .description("the last lines of a component's container log; -f follows it until Ctrl-C")
    .option("--component <name>", "component (default: the first)")
    .option("--tail <n>", "lines", "100")
    .option("-f, --follow", "keep printing new lines until interrupted")
    .action(async function (
      this: Command,
      service: string,
      o: { component?: string; tail: string; follow?: boolean },
    ) {
      const c = context(this);
      const q = { service, component: o.component ?? "", tail: Number(o.tail) };
      if (o.follow) return followLogs(serviceNode(c, service), c.token, q);
      const r = await onNode(serviceNode(c, service), c.token, (api) =>
        api.getLogs({ service, component: o.component ?? "", tail: Number(o.tail) }),
      );
      printResult(this, { text: r.text }, (d) => d.text);
    });
}

/** Prints the log as it grows until SIGINT/SIGTERM (then exits 0) or the container's log ends. */
async function followLogs(
  node: NodeConfig,
  token: string | undefined,
  q: { service: string; component: string; tail: number },
): Promise<void> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await onNode(node, token, async (api) => {
      for await (const m of api.followLogs(q, { signal: ac.signal })) process.stdout.write(m.text);
    });
  } catch (e) {
    if (!ac.signal.aborted) throw e;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
