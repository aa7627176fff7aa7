// The mcp command line (entry: src/cmd/mcp.ts): service commands go to the agent of the node
// the service's definition names, over gRPC with the token `mcp login` cached.
import { createCli, printResult } from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import { VERSION } from "../version.ts";
import { defaultConfigPath, loadCliConfig } from "./cli-config.ts";
import { addDefinitionCommands } from "./commands-definitions.ts";
import { addFileCommands } from "./commands-files.ts";
import { addRollbackCommand } from "./commands-rollback.ts";
import { addServiceCommands } from "./commands-services.ts";
import { addViewCommands } from "./commands-views.ts";
import { login } from "./login.ts";

export const program = createCli({
  name: "mcp",
  description: "MCP: deploy and run services on your nodes",
  version: VERSION,
});
program
  .option("--config <file>", "CLI config (env MCP_CONFIG; default ~/.config/mcp/mcp.toml)")
  .option("--token <token>", "bearer token for the agents (env MCP_TOKEN; default: the cached one)")
  .option("--node <name>", "the node, for a service without a definition file here");

program
  .command("login [username]")
  .description("log in to MCIAS for the agents' audience; the token is cached (0600)")
  .action(async function (this: Command, username?: string) {
    const o = this.optsWithGlobals() as { config?: string };
    const r = await login(loadCliConfig(o.config ?? defaultConfigPath()), username);
    printResult(this, r, (d) => `logged in as ${d.username} (token until ${d.expires_at})`);
  });

addServiceCommands(program);
addRollbackCommand(program);
addViewCommands(program);
addDefinitionCommands(program);
addFileCommands(program);
