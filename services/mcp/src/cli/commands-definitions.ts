// Commands over the definitions directory: `edit` (the operator's $EDITOR on a copy, validated
// before it replaces the file: a refused edit leaves the old file as it was and keeps the copy)
// and `sync` (every definition deployed on its node; every file is validated before any call).
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { formatTable, printResult } from "@metacircular/mcdsl/cli";
import { AppError } from "@metacircular/mcdsl/errors";
import type { Command } from "commander";
import { buildAndPush } from "./build.ts";
import { servicesDir } from "./cli-config.ts";
import { context, definitionPath, readDefinition } from "./context.ts";
import { deployFile } from "./deploy-file.ts";

type EditOutcome = "saved" | "unchanged";

/** Runs the editor on a copy named like the original (the loader checks the file name). */
export function editDefinition(path: string, env: NodeJS.ProcessEnv = process.env): EditOutcome {
  if (!existsSync(path)) throw AppError.notFound("definition_not_found", `no definition ${path}`);
  const work = mkdtempSync(join(dirname(path), ".edit-"));
  const copy = join(work, path.slice(path.lastIndexOf("/") + 1));
  copyFileSync(path, copy);
  const editor = env.VISUAL || env.EDITOR || "vi";
  const r = spawnSync("sh", ["-c", `${editor} "$1"`, "mcp-edit", copy], { stdio: "inherit", env });
  if (r.status !== 0) {
    rmSync(work, { recursive: true, force: true });
    throw AppError.badRequest("editor_failed", `${editor} exited with ${r.status ?? r.signal}`);
  }
  if (readFileSync(copy, "utf8") === readFileSync(path, "utf8")) {
    rmSync(work, { recursive: true, force: true });
    return "unchanged";
  }
  try {
    readDefinition(copy);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw AppError.badRequest("invalid_definition", `${msg} (not saved; your edit is in ${copy})`);
  }
  renameSync(copy, path);
  rmSync(work, { recursive: true, force: true });
  return "saved";
}

export function addDefinitionCommands(program: Command): void {
  program
    .command("build <service>")
    .description("build the service's [build.images] with podman and push them to the registry")
    .action(async function (this: Command, service: string) {
      const c = context(this);
      const plan = await buildAndPush(c.cfg, readDefinition(definitionPath(c.cfg, service)));
      const rows = plan.flatMap((s) => s.tags.map((tag) => ({ image: s.image, pushed: tag })));
      printResult(this, rows, (rs) => formatTable(rs));
    });

  program
    .command("edit <service>")
    .description("edit a definition with $EDITOR; saved only when it is valid")
    .action(function (this: Command, service: string) {
      const c = context(this);
      const path = definitionPath(c.cfg, service);
      const outcome = editDefinition(path);
      printResult(this, { service, path, outcome }, (d) => `${d.path}: ${d.outcome}`);
    });

  program
    .command("sync")
    .description("deploy every active definition in the services directory on its node")
    .action(async function (this: Command) {
      const c = context(this);
      const dir = servicesDir(c.cfg);
      const files = readdirSync(dir)
        .filter((f) => f.endsWith(".toml"))
        .sort()
        .map((f) => join(dir, f));
      const defs = files.map((f) => ({ path: f, def: readDefinition(f) }));
      const rows = [];
      for (const { path, def } of defs) {
        if (!def.active) {
          rows.push({ service: def.name, node: def.node, result: "inactive" });
          continue;
        }
        try {
          const r = await deployFile(c, path);
          const changed = r.containers.some((x) => x.outcome !== "kept");
          rows.push({
            service: def.name,
            node: def.node,
            result: changed ? "deployed" : "unchanged",
          });
        } catch (e) {
          rows.push({
            service: def.name,
            node: def.node,
            result: `failed: ${(e as Error).message}`,
          });
        }
      }
      printResult(this, rows, (rs) => (rs.length ? formatTable(rs) : `no definitions in ${dir}`));
      if (rows.some((r) => r.result.startsWith("failed"))) process.exitCode = 1;
    });
}
