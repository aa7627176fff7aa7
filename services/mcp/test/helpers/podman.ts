// A rootful podman of the test's own: storage (vfs), runroot, containers.conf (runc, catatonit
// for --init, low default ulimits, cgroupfs, file events) all under one temp dir, and
// `podman system service` on a Unix socket there. Nothing under /var/lib/containers is touched.
// stop() force-removes every container and image, stops the service and deletes the dir.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type ChildService, makeTempDir, startProcess, type TempDir } from "@metacircular/testkit";
import { PodmanClient } from "../../src/podman/client.ts";

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

function writeConf(dir: TempDir): NodeJS.ProcessEnv {
  const conf = dir.join("containers.conf");
  writeFileSync(
    conf,
    [
      "[containers]",
      'default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]',
      'init_path = "/usr/bin/catatonit"',
      "[engine]",
      'runtime = "runc"',
      'cgroup_manager = "cgroupfs"',
      'events_logger = "file"',
      `tmp_dir = ${JSON.stringify(dir.join("tmp"))}`,
      "",
    ].join("\n"),
  );
  const storage = dir.join("storage.conf");
  writeFileSync(
    storage,
    `[storage]\ndriver = "vfs"\nrunroot = ${JSON.stringify(dir.join("runroot"))}\ngraphroot = ${JSON.stringify(dir.join("root"))}\n`,
  );
  for (const d of ["run", "tmp", "config"])
    mkdirSync(dir.join(d), { recursive: true, mode: 0o700 });
  return {
    PATH: process.env.PATH,
    HOME: dir.path,
    XDG_RUNTIME_DIR: dir.join("run"),
    XDG_CONFIG_HOME: dir.join("config"),
    TMPDIR: dir.join("tmp"),
    CONTAINERS_CONF: conf,
    CONTAINERS_STORAGE_CONF: storage,
  };
}

/** `extraEnv` goes to the service (e.g. SSL_CERT_FILE: a registry's CA). */
export async function startPodman(extraEnv: NodeJS.ProcessEnv = {}): Promise<TestPodman> {
  const dir = makeTempDir("mcp-podman-");
  const env = { ...writeConf(dir), ...extraEnv };
  const global = [
    "--root",
    dir.join("root"),
    "--runroot",
    dir.join("runroot"),
    "--storage-driver",
    "vfs",
  ];
  const socket = dir.join("podman.sock");
  const svc: ChildService = startProcess("podman", {
    args: [...global, "system", "service", "--time=0", `unix://${socket}`],
    env,
    tsx: false,
  });
  const client = new PodmanClient(socket);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (existsSync(socket)) {
      try {
        await client.version();
        break;
      } catch {
        // not accepting yet
      }
    }
    if (svc.proc.exitCode !== null) throw new Error(`podman service exited:\n${svc.output()}`);
    if (Date.now() > deadline) throw new Error(`podman service not up:\n${svc.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const cli = async (args: string[]) =>
    (await run("podman", [...global, ...args], { env, maxBuffer: 16 << 20, timeout: 300_000 }))
      .stdout;
  return {
    dir,
    socket,
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
