// A rootful podman of the test's own (src/podman/own-service.ts: storage, runroot and
// containers.conf with runc, catatonit, low ulimits) under one temp dir, and `podman system
// service` on a Unix socket there, as a testkit child process (its output kept for failures).
// stop() force-removes every container and image, stops the service and deletes the dir.
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type ChildService, makeTempDir, startProcess, type TempDir } from "@metacircular/testkit";
import { PodmanClient } from "../../src/podman/client.ts";
import {
  ownPodman,
  serviceArgs,
  waitUntilServing,
  writePodmanFiles,
} from "../../src/podman/own-service.ts";

const run = promisify(execFile);

export interface TestPodman {
  dir: TempDir;
  socket: string;
  client: PodmanClient;
  /** The pid of `podman system service` (benchmarks read its CPU time). */
  pid: number;
  /** The environment that points the podman CLI at this storage and settings. */
  env: NodeJS.ProcessEnv;
  /** Runs the podman CLI against the same storage; rejects on a non-zero exit. */
  cli(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** `extraEnv` goes to the service (e.g. SSL_CERT_FILE: a registry's CA). */
export async function startPodman(extraEnv: NodeJS.ProcessEnv = {}): Promise<TestPodman> {
  const dir = makeTempDir("mcp-podman-");
  const own = ownPodman(dir.path);
  writePodmanFiles(own);
  const env = { ...own.env, ...extraEnv };
  const svc: ChildService = startProcess("podman", { args: serviceArgs(own), env, tsx: false });
  await waitUntilServing(own, {
    failed: () => (svc.proc.exitCode === null ? undefined : svc.output()),
    timeoutMs: 60_000,
  }).catch((e: Error) => {
    throw new Error(`${e.message}\n${svc.output()}`);
  });
  const client = new PodmanClient(own.socket);
  const cli = async (args: string[]) =>
    (await run("podman", [...own.global, ...args], { env, maxBuffer: 16 << 20, timeout: 300_000 }))
      .stdout;
  return {
    dir,
    socket: own.socket,
    client,
    pid: svc.proc.pid ?? 0,
    env,
    cli,
    async stop() {
      await cli(["rm", "--all", "--force", "--time", "0"]).catch(() => undefined);
      await cli(["rmi", "--all", "--force"]).catch(() => undefined);
      client.close();
      await svc.stop(10_000);
      dir.remove();
    },
  };
}

/**
 * A 2 MB image FROM scratch holding Debian's busybox-static: `busybox httpd` serves `page` as
 * /index.html on $PORT. Built with the podman CLI (the agent itself never builds).
 */
export async function buildBusyboxImage(p: TestPodman, tag: string, page: string): Promise<void> {
  const ctx = p.dir.join(`build-${tag.replace(/[^a-z0-9]/g, "_")}`);
  await busyboxContext(ctx, page);
  await p.cli(["build", "--quiet", "--tag", tag, ctx]);
}

/** The build context of that image: busybox, www/index.html and a Containerfile. */
export async function busyboxContext(ctx: string, page: string): Promise<void> {
  mkdirSync(join(ctx, "www"), { recursive: true });
  await run("cp", ["/bin/busybox", join(ctx, "busybox")]);
  writeFileSync(join(ctx, "www", "index.html"), page);
  writeFileSync(
    join(ctx, "Containerfile"),
    [
      "FROM scratch",
      "COPY busybox /bin/busybox",
      "COPY www /www",
      'CMD ["/bin/busybox", "sh", "-c", "exec /bin/busybox httpd -f -v -p $PORT -h /www"]',
      "",
    ].join("\n"),
  );
}
