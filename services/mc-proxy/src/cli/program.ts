// mcproxyctl's command tree on the mcdsl CLI framework: administer a running mc-proxy over its
// Unix admin socket (found from --socket, MCPROXY_SOCKET or the CLI profile). Only declarations
// load at start-up; each command's action, with the gRPC client, loads when it runs.
import { addSettings, createCli, type ProfileState } from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import { registerFirewallCommands } from "./commands-firewall.ts";
import { registerRouteCommands } from "./commands-routes.ts";
import { lazyAction } from "./lazy-action.ts";
import { SETTINGS } from "./settings.ts";

const actions = () => import("./actions-status.ts");

function registerStatusCommands(program: Command): void {
  program
    .command("status")
    .description("version, listeners, routes, connections")
    .action(lazyAction(actions, "status"));
  program
    .command("export")
    .description("print the live listeners, routes and firewall as TOML")
    .option("--out <file>", "write to a file")
    .action(lazyAction(actions, "exportToml"));
  program
    .command("seed <file>")
    .description("replace listeners, routes and firewall with those in a TOML file")
    .action(lazyAction(actions, "seed"));
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
