// The mcat command line (entry: src/cmd/mcat.ts): `mcat server --config mcat.toml` runs the
// service. MCAT's work happens in the browser; its API is MCIAS's (mciasctl reaches it).
import { createCli } from "@metacircular/mcdsl/cli";
import { VERSION } from "../version.ts";

export const program = createCli({
  name: "mcat",
  description: "MCAT: the login-policy tester for MCIAS",
  version: VERSION,
});

program
  .command("server")
  .description("run the MCAT server (web UI)")
  .requiredOption("--config <file>", "mcat.toml")
  .action(async (o: { config: string }) => {
    const { runServer } = await import("./server-command.ts");
    await runServer(o.config);
  });
