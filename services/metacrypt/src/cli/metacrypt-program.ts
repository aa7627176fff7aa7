// The metacrypt command line (entry: src/cmd/metacrypt.ts): `metacrypt server --config
// metacrypt.toml` (starts sealed, seals again on SIGTERM/SIGINT) and `metacrypt dev-bootstrap`
// (development only, for npm start). Kept apart from the entry file because tsx cannot lex
// dynamic imports in a file with a #! line.

import { Command } from "commander";
import { VERSION } from "../version.ts";
import { addDevBootstrapCommand } from "./dev-bootstrap-command.ts";

const program = new Command("metacrypt").version(VERSION, "--version");

program
  .command("server")
  .description("run the Metacrypt server (starts sealed)")
  .requiredOption("--config <file>", "metacrypt.toml")
  .action(async (o: { config: string }) => {
    const [{ loadMetacryptConfig }, { createLogger }, { stopOnSignals }, { startMetacrypt }] =
      await Promise.all([
        import("../config.ts"),
        import("@metacircular/mcdsl/log"),
        import("@metacircular/mcdsl/cli"),
        import("../app.ts"),
      ]);
    const cfg = loadMetacryptConfig(o.config);
    const logger = createLogger({ service: "metacrypt", level: cfg.log.level });
    const h = await startMetacrypt(cfg, { logger });
    stopOnSignals({ logger, close: () => h.close() });
  });

addDevBootstrapCommand(program);

program.parseAsync().catch((err: unknown) => {
  const code = (err as { code?: unknown } | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  console.error(`metacrypt: ${typeof code === "string" ? `${code}: ` : ""}${message}`);
  process.exit(1);
});
