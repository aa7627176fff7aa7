#!/usr/bin/env -S node --import tsx
// mcias: the identity and access server.  Usage: mcias server --config mcias.toml
import { createLogger, type Level } from "@metacircular/mcdsl/log";
import { Command } from "commander";
import { loadConfig } from "../config.ts";
import { startServer } from "../server/server.ts";
import { VERSION } from "../version.ts";

const program = new Command("mcias")
  .version(VERSION, "--version")
  .description("MCIAS identity and access service");

program
  .command("server")
  .description("run the MCIAS server")
  .requiredOption("--config <file>", "path to mcias.toml")
  .action(async (opts: { config: string }) => {
    let cfg: ReturnType<typeof loadConfig>;
    try {
      cfg = loadConfig(opts.config);
    } catch (e) {
      console.error(`mcias: ${(e as Error).message}`);
      process.exit(2);
    }
    const logger = createLogger({ service: "mcias", level: cfg.log.level as Level | "silent" });
    const srv = await startServer(cfg, logger);
    // One machine-readable readiness line on stdout, whatever the log level (supervisors and
    // the test kit wait for it).
    process.stdout.write(
      `${JSON.stringify({ event: "ready", service: "mcias", url: srv.url, grpcUrl: srv.grpcUrl })}\n`,
    );
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, "shutting down");
      await srv.close();
      logger.flush();
      process.exit(0);
    };
    process.on("SIGTERM", () => void stop("SIGTERM"));
    process.on("SIGINT", () => void stop("SIGINT"));
  });

await program.parseAsync(process.argv);
