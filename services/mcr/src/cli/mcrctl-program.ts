// mcrctl: MCR's admin CLI over the REST API. Human output by default, --json for scripts.
// Server and token: flag > MCR_SERVER/MCR_TOKEN > the token `mciasctl login --service mcr` cached.

import {
  addServiceConnection,
  callService,
  createCli,
  formatTable,
  loadProfile,
  printResult,
  profileUrl,
  type ServiceConnection,
} from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import { VERSION } from "../version.ts";

const profile = loadProfile();

const CONNECTION: ServiceConnection = {
  service: "mcr",
  label: "MCR",
  envPrefix: "MCR",
  fromProfile: profileUrl("mcr"),
  fallback: "https://127.0.0.1:8443",
};

export const program = createCli({
  name: "mcrctl",
  description: "Manage the MCR container registry",
  version: VERSION,
});
addServiceConnection(program, CONNECTION, profile);

type Rows = Record<string, unknown>[];

function call(cmd: Command, method: string, path: string, body?: unknown): Promise<unknown> {
  return callService(cmd, CONNECTION, profile, { method, path, body });
}

const repoPath = (name: string) => name.split("/").map(encodeURIComponent).join("/");

program
  .command("repositories")
  .description("repositories you may pull")
  .action(async (_o, cmd: Command) => {
    const r = (await call(cmd, "GET", "/v1/repositories")) as { repositories: Rows };
    printResult(cmd, r.repositories, (x) =>
      formatTable(x, ["name", "tags", "manifests", "created_at"]),
    );
  });
program.command("tags <repository>").action(async (repo: string, _o, cmd: Command) => {
  const r = (await call(cmd, "GET", `/v1/repositories/${repoPath(repo)}/tags`)) as { tags: Rows };
  printResult(cmd, r.tags, (x) =>
    formatTable(x, ["tag", "digest", "media_type", "size", "updated_at"]),
  );
});
program
  .command("delete <repository> <tag-or-digest>")
  .description("delete a tag, or a manifest (and its tags) by digest")
  .action(async (repo: string, ref: string, _o, cmd: Command) => {
    const kind = ref.includes(":") ? "manifests" : "tags";
    await call(
      cmd,
      "DELETE",
      `/v1/repositories/${repoPath(repo)}/${kind}/${encodeURIComponent(ref)}`,
    );
    printResult(cmd, { deleted: `${repo}:${ref}` }, (x) => `deleted ${x.deleted}`);
  });
program
  .command("gc")
  .description("collect unreferenced blobs and stale uploads (admin)")
  .option("--dry-run", "report what would be removed, remove nothing")
  .action(async (o: { dryRun?: boolean }, cmd: Command) => {
    const r = (await call(cmd, "POST", "/v1/gc", { dry_run: Boolean(o.dryRun) })) as {
      manifests: Rows;
      blobs: Rows;
      bytes: number;
      links: Rows;
      uploads: string[];
    };
    const verb = o.dryRun ? "would remove" : "removed";
    printResult(
      cmd,
      r,
      (x) =>
        `${verb} ${x.manifests.length} manifests, ${x.blobs.length} blobs (${x.bytes} bytes), ${x.links.length} repository links, ${x.uploads.length} uploads`,
    );
  });

const policies = program.command("policies").description("repository policy rules (admin)");
policies.command("list").action(async (_o, cmd: Command) => {
  const r = (await call(cmd, "GET", "/v1/policies")) as { policies: Rows };
  printResult(cmd, r.policies, (x) =>
    formatTable(x, [
      "id",
      "priority",
      "repository",
      "subject_kind",
      "subject",
      "actions",
      "effect",
    ]),
  );
});
policies
  .command("add")
  .requiredOption("--priority <n>", "lower runs first")
  .requiredOption("--repository <glob>", "e.g. team/* or **")
  .requiredOption("--subject-kind <kind>", "user | system | role | any")
  .option("--subject <name>", "username or role", "")
  .requiredOption("--actions <list>", "comma-separated: pull,push,delete")
  .requiredOption("--effect <effect>", "allow | deny")
  .action(async (o: Record<string, string>, cmd: Command) => {
    const r = (await call(cmd, "POST", "/v1/policies", {
      priority: Number(o.priority),
      repository: o.repository,
      subject_kind: o.subjectKind,
      subject: o.subject,
      actions: o.actions!.split(","),
      effect: o.effect,
    })) as { id: number };
    printResult(cmd, r, (x) => `created policy rule ${x.id}`);
  });
policies.command("delete <id>").action(async (id: string, _o, cmd: Command) => {
  await call(cmd, "DELETE", `/v1/policies/${encodeURIComponent(id)}`);
  printResult(cmd, { deleted: id }, () => `deleted policy rule ${id}`);
});

program
  .command("audit")
  .description("recent pushes, pulls, deletions and policy changes (admin)")
  .option("--limit <n>", "entries", "50")
  .option("--repository <name>")
  .option("--action <action>")
  .action(async (o: { limit: string; repository?: string; action?: string }, cmd: Command) => {
    const q = new URLSearchParams({ limit: o.limit });
    if (o.repository) q.set("repository", o.repository);
    if (o.action) q.set("action", o.action);
    const r = (await call(cmd, "GET", `/v1/audit?${q}`)) as { entries: Rows };
    printResult(cmd, r.entries, (x) =>
      formatTable(x, ["at", "actor", "action", "repository", "reference", "detail"]),
    );
  });
