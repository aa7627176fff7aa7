#!/usr/bin/env -S node --import tsx
// mciasctl: the MCIAS admin CLI. Talks to the server over REST with an admin token
// (MCIAS_TOKEN or --token); backup/restore/audit verify --db work on the database file.
import { Command } from "commander";
import { registerAccountCommands } from "../cli/commands-accounts.ts";
import { registerAuditCommands } from "../cli/commands-audit.ts";
import { registerOidcCommands } from "../cli/commands-oidc.ts";
import { registerSsoCommands } from "../cli/commands-sso.ts";
import { registerTokenCommands } from "../cli/commands-tokens.ts";
import { CliError } from "../cli/context.ts";
import { VERSION } from "../version.ts";

const program = new Command("mciasctl")
  .version(VERSION, "--version")
  .description("MCIAS admin CLI")
  .option("--server <url>", "MCIAS base URL", process.env.MCIAS_URL ?? "https://127.0.0.1:8443")
  .option("--token <token>", "admin bearer token (default $MCIAS_TOKEN)")
  .option(
    "--ca-cert <file>",
    "CA certificate for MCIAS's TLS (default $MCIAS_CA_CERT)",
    process.env.MCIAS_CA_CERT,
  )
  .option("--json", "machine-readable output")
  .showHelpAfterError();

registerAccountCommands(program);
registerTokenCommands(program);
registerAuditCommands(program);
registerOidcCommands(program);
registerSsoCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CliError) {
    console.error(`mciasctl: ${e.message}`);
    process.exit(e.exitCode);
  }
  throw e;
}
