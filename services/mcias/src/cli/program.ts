// mciasctl's command tree on the mcdsl CLI framework: settings from flags, environment and the
// CLI profile; one error path (runCli) printing "error: <message> (<code>)".
import { addSettings, createCli } from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import { VERSION } from "../version.ts";
import { registerAccountCommands } from "./commands-accounts.ts";
import { registerAuditCommands } from "./commands-audit.ts";
import { registerOidcCommands } from "./commands-oidc.ts";
import { registerSsoCommands } from "./commands-sso.ts";
import { registerTokenCommands } from "./commands-tokens.ts";
import { SETTINGS } from "./context.ts";
import { cliProfile } from "./profile.ts";

export function buildMciasctl(): Command {
  const program = createCli({
    name: "mciasctl",
    description:
      "MCIAS admin CLI: accounts, tokens, login policy, audit, OIDC and SSO clients, backups",
    version: VERSION,
  });
  addSettings(program, SETTINGS, cliProfile());
  registerAccountCommands(program);
  registerTokenCommands(program);
  registerAuditCommands(program);
  registerOidcCommands(program);
  registerSsoCommands(program);
  return program;
}
