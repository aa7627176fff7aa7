// The mcdoc command line (entry: src/cmd/mcdoc.ts): `mcdoc server --config mcdoc.toml` runs the
// site; `mcdoc check-config` validates a config file. Server modules load only for `server`.
import { createCli } from "@metacircular/mcdsl/cli";
import { VERSION } from "../version.ts";

export const program = createCli({
  name: "mcdoc",
  description: "MCDoc: documentation rendered from git repositories",
  version: VERSION,
});

program
  .command("server")
  .description("run the MCDoc site (pages, search, webhook, metrics)")
  .requiredOption("--config <file>", "mcdoc.toml")
  .action(async (o: { config: string }) => {
    const { runServer } = await import("./server-command.ts");
    await runServer(o.config);
  });

program
  .command("check-config")
  .description("validate a config file and print the repositories it names")
  .requiredOption("--config <file>", "mcdoc.toml")
  .action(async (o: { config: string }) => {
    const { loadMcdocConfig } = await import("../config.ts");
    const cfg = loadMcdocConfig(o.config);
    for (const r of cfg.repos) console.log(`${r.name}\t${r.url ?? r.path}\t${r.path ? "" : r.ref}`);
    if (cfg.gitea) console.log(`(every repository of ${cfg.gitea.org} at ${cfg.gitea.url})`);
  });
