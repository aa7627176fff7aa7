// `mcdoc server --config mcdoc.toml`: load the config, start the site, stop on SIGTERM/SIGINT.
import { stopOnSignals } from "@metacircular/mcdsl/cli";
import { createLogger } from "@metacircular/mcdsl/log";
import { startMcdoc } from "../app.ts";
import { loadMcdocConfig } from "../config.ts";

export async function runServer(configPath: string): Promise<void> {
  const cfg = loadMcdocConfig(configPath);
  const logger = createLogger({ service: "mcdoc", level: cfg.log.level });
  const h = await startMcdoc(cfg, { logger });
  stopOnSignals({ logger, close: () => h.close() });
}
