// Files of a service's folder on its node (/srv/<service>/): push, pull, snapshot, restore.
// Bytes stream over the agent's API with progress on stderr; the agent confines every path.
import { createReadStream } from "node:fs";
import { open, rename, rm, stat } from "node:fs/promises";
import { basename } from "node:path";
import { printResult } from "@metacircular/mcdsl/cli";
import type { Command } from "commander";
import { type AgentApi, onNode } from "./agent-client.ts";
import { context, serviceNode } from "./context.ts";
import { counted, progress } from "./progress.ts";

/** Writes the chunks to `path` through a temporary file, renamed when complete. */
async function saveChunks(
  path: string,
  label: string,
  chunks: (api: AgentApi) => AsyncIterable<{ data: Uint8Array }>,
  api: AgentApi,
): Promise<number> {
  const tmp = `${path}.mcp-${process.pid}`;
  const fh = await open(tmp, "w", 0o600);
  const p = progress(label);
  try {
    for await (const c of chunks(api)) {
      p.add(c.data.byteLength);
      await fh.write(c.data);
    }
    await fh.close();
    await rename(tmp, path);
    return p.done();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
}

async function* fileMessages<T>(path: string, first: T, label: string) {
  yield { ...first, data: new Uint8Array() };
  const p = progress(label);
  for await (const data of counted(createReadStream(path) as AsyncIterable<Buffer>, p))
    yield { data };
  p.done();
}

export function addFileCommands(program: Command): void {
  program
    .command("push <service> <local> [remote]")
    .description("copy a local file to /srv/<service>/<remote> on the service's node")
    .action(async function (this: Command, service: string, local: string, remote?: string) {
      const c = context(this);
      const path = remote ?? basename(local);
      const { mode } = await stat(local);
      const node = serviceNode(c, service);
      const r = await onNode(node, c.token, (api) =>
        api.pushFile(fileMessages(local, { service, path, mode: mode & 0o777 }, `push ${path}`)),
      );
      const data = { service, node: node.name, path, bytes: Number(r.bytes) };
      printResult(this, data, (d) => `pushed ${d.bytes} bytes to ${d.service}:${d.path}`);
    });

  program
    .command("pull <service> <remote> [local]")
    .description("copy /srv/<service>/<remote> from the service's node to a local file")
    .action(async function (this: Command, service: string, remote: string, local?: string) {
      const c = context(this);
      const to = local ?? basename(remote);
      const bytes = await onNode(serviceNode(c, service), c.token, (api) =>
        saveChunks(to, `pull ${remote}`, (a) => a.pullFile({ service, path: remote }), api),
      );
      printResult(this, { service, path: remote, local: to, bytes }, (d) => {
        return `pulled ${d.bytes} bytes from ${d.service}:${d.path} to ${d.local}`;
      });
    });

  program
    .command("snapshot <service>")
    .description("/srv/<service>/ on its node as a local tar.zst archive")
    .option("-o, --output <file>", "the archive (default <service>-<time>.tar.zst)")
    .action(async function (this: Command, service: string, o: { output?: string }) {
      const c = context(this);
      const stamp = new Date().toISOString().replace(/[:.]/g, "").slice(0, 15);
      const to = o.output ?? `${service}-${stamp}.tar.zst`;
      const bytes = await onNode(serviceNode(c, service), c.token, (api) =>
        saveChunks(to, `snapshot ${service}`, (a) => a.snapshot({ service }), api),
      );
      printResult(this, { service, archive: to, bytes }, (d) => `${d.archive}: ${d.bytes} bytes`);
    });

  program
    .command("restore <service> <file>")
    .description("replace /srv/<service>/ on its node by a tar.zst archive (service restarted)")
    .action(async function (this: Command, service: string, file: string) {
      const c = context(this);
      const r = await onNode(serviceNode(c, service), c.token, (api) =>
        api.restore(fileMessages(file, { service }, `restore ${service}`)),
      );
      const data = { service, entries: Number(r.entries), bytes: Number(r.bytes) };
      printResult(this, data, (d) => `restored ${d.service}: ${d.entries} entries`);
    });
}
