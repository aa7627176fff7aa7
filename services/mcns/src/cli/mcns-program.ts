// The mcns command line (entry: src/cmd/mcns.ts): the DNS server. `mcns server --config mcns.toml`; `mcns zone-import|zone-export` operate
// on the database directly (for bootstrap and disaster recovery, no API/MCIAS needed). Each
// command loads only its own modules (dynamic imports), so a CLI call starts quickly. Kept apart
// from the entry file because tsx cannot lex dynamic imports in a file with a #! line.

import { readFileSync } from "node:fs";
import { Command } from "commander";
import type { ApiOps } from "../records/api-ops.ts";
import { VERSION } from "../version.ts";

const LOCAL_ADMIN = { username: "local-cli", accountType: "human" as const, roles: ["admin"] };

async function offlineOps(configPath: string): Promise<{ ops: ApiOps; close(): void }> {
  const [{ loadMcnsConfig }, { openDatabase }, { migrations }, { ZoneRegistry }, api, store] =
    await Promise.all([
      import("../config.ts"),
      import("@metacircular/mcdsl/db"),
      import("../db/migrations.ts"),
      import("../engine/zone-registry.ts"),
      import("../records/api-ops.ts"),
      import("../records/dns-store.ts"),
    ]);
  const cfg = loadMcnsConfig(configPath);
  const db = openDatabase(cfg.database.path, { migrations });
  const s = new store.DnsStore(db, new ZoneRegistry());
  s.loadAll();
  return { ops: new api.ApiOps(s), close: () => db.close() };
}

const program = new Command("mcns").version(VERSION, "--version");

program
  .command("server")
  .description("run the DNS server and its API")
  .requiredOption("--config <file>", "mcns.toml")
  .action(async (o: { config: string }) => {
    const [{ loadMcnsConfig }, { createLogger }, { stopOnSignals }, { startMcns }] =
      await Promise.all([
        import("../config.ts"),
        import("@metacircular/mcdsl/log"),
        import("@metacircular/mcdsl/cli"),
        import("../app.ts"),
      ]);
    const cfg = loadMcnsConfig(o.config);
    const logger = createLogger({ service: "mcns", level: cfg.log.level });
    const h = await startMcns(cfg, { logger });
    stopOnSignals({ logger, close: () => h.close() });
  });

program
  .command("zone-import")
  .description(
    "create the zone if needed and replace its records from an RFC 1035 master file, in one " +
      "transaction; the file's SOA serial is kept unless --increment-serial",
  )
  .requiredOption("--config <file>", "mcns.toml")
  .requiredOption("--zone <name>", "zone origin")
  .option("--increment-serial", "ignore the file's serial: set one above the zone's current serial")
  .argument("<file>", "master file")
  .action(async (file: string, o: { config: string; zone: string; incrementSerial?: boolean }) => {
    const { ops, close } = await offlineOps(o.config);
    try {
      const r = ops.importZone(LOCAL_ADMIN, o.zone, readFileSync(file, "utf8"), {
        create: true,
        serial: o.incrementSerial ? "increment" : "file",
      });
      console.log(
        `imported ${r.imported} records into ${r.zone} (serial ${r.serial}${r.created ? ", zone created" : ""})`,
      );
    } finally {
      close();
    }
  });

program
  .command("zone-export")
  .description("print a zone as an RFC 1035 master file")
  .requiredOption("--config <file>", "mcns.toml")
  .requiredOption("--zone <name>", "zone origin")
  .action(async (o: { config: string; zone: string }) => {
    const { ops, close } = await offlineOps(o.config);
    try {
      process.stdout.write(ops.exportZone(LOCAL_ADMIN, o.zone));
    } finally {
      close();
    }
  });

program.parseAsync().catch((err: unknown) => {
  // Stable codes (AppError, DnsFormatError, errno) first, so scripts can match them.
  const code = (err as { code?: unknown } | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  const prefix = typeof code === "string" ? `${code}: ` : "";
  console.error(`mcns: ${prefix}${message}`);
  process.exit(1);
});
