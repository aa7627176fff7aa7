// MCDoc's test stack: a loopback git server with one repository ("handbook": nested folders,
// images, relative links, code), its push hook signing webhooks with a shared secret, and mcdoc
// itself as a real child process (tsx, or the bundle) fetching from it.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type ChildService,
  eventually,
  freePort,
  REPO_ROOT,
  startProcess,
  type TempDir,
} from "@metacircular/testkit";
import { type GitServer, startGitServer, workClone } from "./git-server.ts";

export const SECRET = "a-shared-webhook-secret-of-some-length";

/** A 1×1 PNG (a real image, so the browser decodes it). */
export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

export const HANDBOOK: Record<string, string | Buffer> = {
  "README.md": [
    "# Handbook",
    "",
    "Welcome to the handbook. Start with the [introduction](guide/intro.md) or the",
    "[deep dive](guide/deep/nested.md#storage-layout).",
    "",
    "![logo](images/logo.png)",
    "",
    "## Code",
    "",
    "```typescript",
    "export function greet(name: string): string {",
    '  return "hello " + name + ", this line is deliberately long enough to need a horizontal scroll bar";',
    "}",
    "```",
    "",
    "```mermaid",
    "graph TD; A-->B;",
    "```",
    "",
    "See also [a missing page](missing.md).",
  ].join("\n"),
  "guide/intro.md": [
    "# Introduction",
    "",
    "Back to the [home page](../README.md). Version one of the introduction.",
    "",
    "## Install",
    "",
    "Run `make install`.",
    "",
    "## Configure",
    "",
    "Edit the file; see [nested](deep/nested.md) and the [diagram](../images/diagram.svg).",
  ].join("\n"),
  "guide/deep/nested.md": [
    "# Nested page",
    "",
    "## Storage layout",
    "",
    "The zebra index lives under `/srv`. Up: [guide](../) · [root](/README.md).",
    "",
    "![broken image](../../images/nope.png)",
  ].join("\n"),
  "images/logo.png": PNG,
  "images/diagram.svg":
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
};

export interface DocStack {
  git: GitServer;
  clone: ReturnType<typeof workClone>;
  remote: string;
  secretFile: string;
  mcdoc: McdocProcess;
  startMcdoc(): Promise<McdocProcess>;
  stop(): Promise<void>;
}

export interface McdocProcess {
  url: string;
  child: ChildService;
}

export async function startMcdocWith(
  config: string,
  entry = join(REPO_ROOT, "services/mcdoc/src/cmd/mcdoc.ts"),
): Promise<McdocProcess> {
  const args = ["server", "--config", config];
  const child = entry.endsWith(".ts")
    ? startProcess(entry, { args })
    : startProcess(process.execPath, { args: [entry, ...args], tsx: false });
  const m = await child.waitForLine(/"url":"(http:\/\/[^"]+)".*mcdoc started/, 60_000);
  return { url: m[1]!, child };
}

export async function repoState(url: string, name: string) {
  const res = await fetch(`${url}/v1/repos`);
  const body = (await res.json()) as { repos: Array<Record<string, unknown>> };
  return body.repos.find((r) => r.name === name);
}

export async function waitRendered(url: string, name: string, revision?: string): Promise<void> {
  const ok = await eventually(async () => {
    const s = await repoState(url, name);
    return s?.state === "ready" && (revision === undefined || s.revision === revision);
  }, 90_000);
  if (!ok)
    throw new Error(
      `${name} not rendered at ${revision ?? "any revision"}: ${JSON.stringify(await repoState(url, name))}`,
    );
}

export async function startDocStack(dir: TempDir, entry?: string): Promise<DocStack> {
  const secretFile = dir.join("webhook.secret");
  writeFileSync(secretFile, SECRET);
  const hookSecretFile = dir.join("hook.secret");
  writeFileSync(hookSecretFile, SECRET);
  const port = await freePort();
  const git = await startGitServer(dir.join("git"));
  const remote = git.createRepo("handbook", {
    url: `http://127.0.0.1:${port}/v1/webhook`,
    secretFile: hookSecretFile,
  });
  const clone = workClone(dir.join("work"), remote);
  for (const [p, body] of Object.entries(HANDBOOK)) clone.write(p, body);
  const first = await clone.commitAndPush("handbook: first version");
  const config = dir.join("mcdoc.toml");
  writeFileSync(
    config,
    [
      "[server]",
      `listen_addr = "127.0.0.1:${port}"`,
      "[log]",
      'level = "info"',
      "[cache]",
      `dir = "${dir.join("cache")}"`,
      "[site]",
      'title = "Test docs"',
      "[refresh]",
      "interval_seconds = 0",
      "timeout_seconds = 30",
      "[webhook]",
      `secret_file = "${secretFile}"`,
      "[[repos]]",
      'name = "handbook"',
      'title = "The Handbook"',
      'description = "Nested folders, images, links and code."',
      `url = "${remote}"`,
      'ref = "main"',
    ].join("\n"),
  );
  const startMcdoc = () => startMcdocWith(config, entry);
  const mcdoc = await startMcdoc();
  await waitRendered(mcdoc.url, "handbook", first);
  const stack: DocStack = {
    git,
    clone,
    remote,
    secretFile: hookSecretFile,
    mcdoc,
    startMcdoc,
    async stop() {
      await stack.mcdoc.child.stop();
      await git.stop();
    },
  };
  return stack;
}
