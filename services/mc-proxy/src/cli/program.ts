// mcproxyctl's command tree on the mcdsl CLI framework: administer a running mc-proxy over its
// Unix admin socket (found from --socket, MCPROXY_SOCKET or the CLI profile).
import { readFileSync, writeFileSync } from "node:fs";
import { addSettings, createCli, type ProfileState } from "@metacircular/mcdsl/cli";
import { GetStatusResponseSchema } from "@metacircular/proto/mcproxy/v1/admin_pb";
import type { Command } from "commander";
import { registerFirewallCommands } from "./commands-firewall.ts";
import { registerRouteCommands } from "./commands-routes.ts";
import { client, out, SETTINGS, say } from "./context.ts";
import { listenersTable } from "./format.ts";

function registerStatusCommands(program: Command): void {
  program
    .command("status")
    .description("version, listeners, routes, connections")
    .action(async function (this: Command) {
      const s = await client(this).getStatus({});
      out(this, GetStatusResponseSchema, s, () =>
        [
          `mc-proxy ${s.version}  workers=${s.workers}  routes=${s.routeCount}  connections=${s.activeConnections}`,
          "",
          listenersTable(s.listeners),
        ].join("\n"),
      );
    });
  program
    .command("export")
    .description("print the live listeners, routes and firewall as TOML")
    .option("--out <file>", "write to a file")
    .action(async function (this: Command, o: { out?: string }) {
      const r = await client(this).exportConfig({});
      if (o.out) writeFileSync(o.out, r.toml);
      else process.stdout.write(r.toml);
    });
  program
    .command("seed <file>")
    .description("replace listeners, routes and firewall with those in a TOML file")
    .action(async function (this: Command, file: string) {
      const r = await client(this).seedConfig({ toml: readFileSync(file, "utf8") });
      say(
        this,
        { listeners: r.listeners, routes: r.routes },
        `seeded ${r.listeners} listeners, ${r.routes} routes`,
      );
    });
}

export function buildMcproxyctl(version: string, profile: ProfileState): Command {
  const program = createCli({
    name: "mcproxyctl",
    description: "Administer mc-proxy over its admin socket: routes, listeners, firewall",
    version,
  });
  addSettings(program, SETTINGS, profile);
  registerStatusCommands(program);
  registerRouteCommands(program);
  registerFirewallCommands(program);
  return program;
}
