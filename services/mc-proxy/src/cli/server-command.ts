// The `mc-proxy` command line (server, --version), parsed with commander.
import { Command } from "commander";
import { runServer } from "../app.ts";
import { loadProxyConfig } from "../config.ts";
import { VERSION } from "../grpcserver/admin-service.ts";

export async function main(argv: string[]): Promise<void> {
  const program = new Command("mc-proxy")
    .version(VERSION, "--version")
    .description("Metacircular TLS ingress proxy");
  program
    .command("server")
    .description("run the proxy")
    .requiredOption("--config <file>", "TOML configuration file")
    .action(async (opts: { config: string }) => {
      let cfg: ReturnType<typeof loadProxyConfig>;
      try {
        cfg = loadProxyConfig(opts.config);
      } catch (e) {
        process.stderr.write(`mc-proxy: ${(e as Error).message}\n`);
        process.exit(2);
      }
      await runServer(cfg, opts.config);
    });
  await program.parseAsync(argv);
}
