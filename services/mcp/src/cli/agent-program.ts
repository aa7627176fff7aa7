// The mcp-agent command line (entry: src/cmd/mcp-agent.ts): `mcp-agent server --config
// mcp-agent.toml` runs the node agent until SIGTERM/SIGINT.
import { createCli, stopOnSignals } from "@metacircular/mcdsl/cli";
import { VERSION } from "../version.ts";

export const agentProgram = createCli({
  name: "mcp-agent",
  description: "MCP node agent: runs services as podman containers, with routes and DNS",
  version: VERSION,
});

agentProgram
  .command("server")
  .description("run the agent (gRPC API)")
  .requiredOption("--config <file>", "mcp-agent.toml")
  .action(async (o: { config: string }) => {
    const { createLogger } = await import("@metacircular/mcdsl/log");
    const { loadAgentConfig } = await import("../config.ts");
    const { startAgent } = await import("../app.ts");
    const cfg = loadAgentConfig(o.config);
    const logger = createLogger({ service: "mcp-agent", level: cfg.log.level });
    const h = await startAgent(cfg, { logger });
    stopOnSignals({ logger, close: () => h.close() });
  });
