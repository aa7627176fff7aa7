// `mcat server --config mcat.toml`: load the config, start the service, stop on SIGTERM/SIGINT.
import { stopOnSignals } from "@metacircular/mcdsl/cli";
import { createLogger } from "@metacircular/mcdsl/log";
import { startMcat } from "../app.ts";
import { loadMcatConfig } from "../config.ts";

export async function runServer(configPath: string): Promise<void> {
  const cfg = loadMcatConfig(configPath);
  const logger = createLogger({ service: "mcat", level: cfg.log.level });
  const h = await startMcat(cfg, { logger });
  stopOnSignals({ logger, close: () => h.close() });
}
