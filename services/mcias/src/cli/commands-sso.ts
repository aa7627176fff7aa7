// mciasctl sso: the platform SSO clients ([[sso_clients]] in the config; listed, not edited,
// because they are configuration — add one by editing mcias.toml and restarting).
import type { Command } from "commander";
import { call, output, table } from "./context.ts";

export function registerSsoCommands(program: Command): void {
  const sso = program.command("sso").description("platform SSO clients (from the config)");
  sso
    .command("list")
    .description("list the registered SSO clients")
    .action(async function (this: Command) {
      const r = await call(this, "GET", "/v1/sso/clients");
      output(this, r, () =>
        table(r.clients as Record<string, unknown>[], [
          "client_id",
          "service_name",
          "redirect_uri",
        ]),
      );
    });
}
