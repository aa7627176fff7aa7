// The mcr command line (entry: src/cmd/mcr.ts): `mcr server --config mcr.toml`. Kept apart from
// the entry file because tsx cannot lex dynamic imports in a file with a #! line; the server's
// modules load only when the command runs, so --version and --help start quickly.

import { Command } from "commander";
import { VERSION } from "../version.ts";

const program = new Command("mcr").version(VERSION, "--version");

program
  .command("server")
  .description("run the registry (distribution API on /v2, admin API on /v1)")
  .requiredOption("--config <file>", "mcr.toml")
  .action(async (o: { config: string }) => {
    const [{ loadMcrConfig }, { createLogger }, { stopOnSignals }, { startMcr }] =
      await Promise.all([
        import("../config.ts"),
        import("@metacircular/mcdsl/log"),
        import("@metacircular/mcdsl/cli"),
        import("../app.ts"),
      ]);
    const cfg = loadMcrConfig(o.config);
    const logger = createLogger({ service: "mcr", level: cfg.log.level });
    const h = await startMcr(cfg, { logger });
    stopOnSignals({ logger, close: () => h.close() });
  });

program.parseAsync().catch((err: unknown) => {
  const code = (err as { code?: unknown } | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  console.error(`mcr: ${typeof code === "string" ? `${code}: ` : ""}${message}`);
  process.exit(1);
});
