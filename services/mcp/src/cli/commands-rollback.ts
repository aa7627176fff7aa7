// `mcp rollback <service> [--to <deploy>]`: the agent redeploys a recorded definition without
// downtime (the previous one by default; `mcp status <service>` lists the deploy history).
import { printResult } from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import { onNode } from "./agent-client.ts";
import { context, serviceNode } from "./context.ts";

export function addRollbackCommand(program: Command): void {
  program
    .command("rollback <service>")
    .description("redeploy the previous definition (or --to a deploy of its history), no downtime")
    .option("--to <deploy>", "a deploy id from `mcp status <service>` (default: the previous)")
    .action(async function (this: Command, service: string, o: { to?: string }) {
      const c = context(this);
      const to = o.to === undefined ? 0 : Number(o.to);
      if (!Number.isInteger(to) || to < 0) throw new Error(`--to: not a deploy id: ${o.to}`);
      const node = serviceNode(c, service);
      const r = await onNode(node, c.token, (api) =>
        api.rollback({ name: service, deployId: BigInt(to) }),
      );
      const data = {
        service: r.service,
        node: node.name,
        from_deploy: Number(r.fromDeploy),
        containers: r.containers.map((x) => ({ name: x.name, outcome: x.outcome })),
      };
      printResult(this, data, (d) =>
        [
          `rolled ${d.service} on ${d.node} back to the definition of deploy #${d.from_deploy}`,
          ...d.containers.map((x) => `  container ${x.name}: ${x.outcome}`),
        ].join("\n"),
      );
    });
}
