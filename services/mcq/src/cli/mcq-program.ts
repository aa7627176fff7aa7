// The mcq command line (entry: src/cmd/mcq.ts): `mcq server --config mcq.toml` runs the service;
// push, list, open, login and mcp are clients of its REST API. Human output by default, --json
// for scripts. Server-side modules load only for `server` (dynamic import), so a client call
// starts quickly.
import { readFileSync } from "node:fs";
import { addServiceConnection, createCli, formatTable, printResult } from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import { slugFromFileName } from "../documents/input.ts";
import type { DocumentSummary } from "../documents/views.ts";
import { VERSION } from "../version.ts";
import { ApiClient } from "./api-client.ts";
import { login } from "./login.ts";
import { apiOptions, CONNECTION, globals, profile } from "./settings.ts";

export const program = createCli({
  name: "mcq",
  description: "MCQ: push markdown documents and read them rendered",
  version: VERSION,
});
addServiceConnection(program, CONNECTION, profile);

const collect = (v: string, prev: string[] = []) => [...prev, ...v.split(",")];
const summaryTable = (ds: DocumentSummary[]) =>
  formatTable(
    ds.map((d) => ({ ...d, read: d.read ? "read" : "unread", tags: d.tags.join(",") })),
    ["slug", "title", "read", "pushed_by", "tags", "updated_at"],
  );

program
  .command("server")
  .description("run the MCQ server (REST API, web UI, MCP over HTTP)")
  .requiredOption("--config <file>", "mcq.toml")
  .action(async (o: { config: string }) => {
    const { runServer } = await import("./server-command.ts");
    await runServer(o.config);
  });

program
  .command("push <file>")
  .description("push a markdown file (slug from the file name unless --slug)")
  .option("--slug <slug>", "document slug")
  .option("--title <title>", "title (default: the first level-1 heading, else the slug)")
  .option("--tag <tag>", "tag (repeatable or comma-separated)", collect)
  .action(async function (
    this: Command,
    file: string,
    o: { slug?: string; title?: string; tag?: string[] },
  ) {
    const body = readFileSync(file === "-" ? 0 : file, "utf8");
    const slug = o.slug ?? slugFromFileName(file);
    const r = await new ApiClient(apiOptions(this)).put(slug, {
      body,
      title: o.title,
      tags: o.tag,
    });
    const { body: _b, html: _h, toc: _t, ...doc } = r.document;
    printResult(
      this,
      { created: r.created, ...doc },
      (d) => `${d.created ? "created" : "replaced"} ${d.slug} (version ${d.version})`,
    );
  });

program
  .command("list")
  .description("list documents, unread first")
  .option("--unread", "only unread documents")
  .option("--pushed-by <user>", "only documents pushed by this account")
  .option("--tag <tag>", "only documents with this tag")
  .option("--search <text>", "full-text search")
  .action(async function (
    this: Command,
    o: { unread?: boolean; pushedBy?: string; tag?: string; search?: string },
  ) {
    const docs = await new ApiClient(apiOptions(this)).list({
      unread: o.unread,
      pushedBy: o.pushedBy,
      tag: o.tag,
      q: o.search,
    });
    printResult(this, { documents: docs }, (r) => summaryTable(r.documents));
  });

program
  .command("open <slug>")
  .description("print the reader's URL of a document (after checking it exists)")
  .action(async function (this: Command, slug: string) {
    const d = await new ApiClient(apiOptions(this)).get(slug);
    const url = new URL(`/d/${encodeURIComponent(d.slug)}`, globals(this).server).toString();
    printResult(this, { slug: d.slug, url }, (r) => r.url);
  });

program
  .command("login [username]")
  .description("log in to MCIAS for mcq and cache the token (0600)")
  .action(async function (this: Command, username: string | undefined) {
    const r = await login(globals(this), username);
    printResult(this, r, (x) => `logged in as ${x.username}; token cached in ${x.cached_in}`);
  });

program
  .command("mcp")
  .description("serve the Model Context Protocol over stdio, against the MCQ server")
  .action(async function (this: Command) {
    const { serveStdio } = await import("../mcp/stdio.ts");
    await serveStdio(apiOptions(this));
  });
