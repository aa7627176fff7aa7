// `mcq server --config mcq.toml`: load the config, start the service, stop on SIGTERM/SIGINT.
import { stopOnSignals } from "@metacircular/mcdsl/cli";
import { createLogger } from "@metacircular/mcdsl/log";
import { startMcq } from "../app.ts";
import { loadMcqConfig } from "../config.ts";

export async function runServer(configPath: string): Promise<void> {
  const cfg = loadMcqConfig(configPath);
  const logger = createLogger({ service: "mcq", level: cfg.log.level });
  const h = await startMcq(cfg, { logger });
  stopOnSignals({ logger, close: () => h.close() });
}
