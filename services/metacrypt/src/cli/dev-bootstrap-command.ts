// `metacrypt dev-bootstrap`: the development bootstrap for the repository's `npm start`, offline
// (the server must not be running). The unseal password is read from --unseal-file, or generated
// into it (mode 0600) on the first run; the use case is service/dev-bootstrap.ts. Writes the CA
// certificate to <out-dir>/ca.crt and each leaf to <out-dir>/<first name>.crt/.key (key 0600).

import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import type { Command } from "commander";

const collect = (v: string, acc: string[]) => [...acc, v];

function writeAtomic(path: string, text: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text.endsWith("\n") ? text : `${text}\n`, { mode });
  renameSync(tmp, path);
}

/** The stored dev unseal password, or a new one written 0600 (never printed). */
function unsealPassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const password = randomBytes(32).toString("base64url");
  writeFileSync(file, `${password}\n`, { mode: 0o600, flag: "wx" });
  return password;
}

/** "a.localhost,b.localhost,127.0.0.1" → DNS names and IP addresses of one leaf. */
function leafOf(spec: string): { dns: string[]; ips: string[] } {
  const parts = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return { dns: parts.filter((p) => isIP(p) === 0), ips: parts.filter((p) => isIP(p) !== 0) };
}

interface Options {
  config: string;
  unsealFile: string;
  outDir: string;
  mount: string;
  leaf: string[];
}

async function run(o: Options): Promise<void> {
  const [{ loadMetacryptConfig }, { openDatabase }, { migrations }, { buildOps }, boot] =
    await Promise.all([
      import("../config.ts"),
      import("@metacircular/mcdsl/db"),
      import("../db/migrations.ts"),
      import("../app.ts"),
      import("../service/dev-bootstrap.ts"),
    ]);
  const cfg = loadMetacryptConfig(o.config);
  const db = openDatabase(cfg.database.path, { migrations });
  try {
    const leaves = o.leaf.map(leafOf).filter((l) => l.dns.length > 0);
    const r = await boot.devBootstrap(buildOps(cfg, db), {
      unsealPassword: unsealPassword(o.unsealFile),
      mount: o.mount,
      leaves,
    });
    writeAtomic(join(o.outDir, "ca.crt"), r.caPem, 0o644);
    r.issued.forEach((issued, i) => {
      const name = leaves[i]!.dns[0]!;
      writeAtomic(join(o.outDir, `${name}.key`), issued.private_key ?? "", 0o600);
      writeAtomic(join(o.outDir, `${name}.crt`), issued.certificate, 0o644);
    });
    const did = [
      r.initialized ? "initialised the barrier" : undefined,
      r.mountCreated ? `created CA mount ${o.mount}` : undefined,
      `issued ${r.issued.length} certificate(s)`,
    ].filter(Boolean);
    console.log(
      `metacrypt DEV MODE: ${did.join(", ")}; unseal password in ${o.unsealFile} (0600), CA ${join(o.outDir, "ca.crt")}. Never use this data for real secrets.`,
    );
  } finally {
    db.close();
  }
}

export function addDevBootstrapCommand(program: Command): void {
  program
    .command("dev-bootstrap")
    .description(
      "DEVELOPMENT ONLY (npm start): offline, initialise/unseal with a password kept in a file, create a CA mount and issue TLS certificates",
    )
    .requiredOption("--config <file>", "metacrypt.toml (the server must not be running)")
    .requiredOption("--unseal-file <file>", "the dev unseal password (created 0600 if missing)")
    .requiredOption("--out-dir <dir>", "where ca.crt and the leaves are written")
    .option("--mount <name>", "the CA mount", "pki")
    .option("--leaf <names>", "one certificate: comma-separated DNS names and IPs", collect, [])
    .action((o: Options) => run(o));
}
