// A `podman system service` of one's own: storage (vfs), runroot and containers.conf (runc,
// catatonit for --init, low default ulimits, cgroupfs, file events) all under one folder, the
// socket in it too. Nothing under /var/lib/containers is touched. The agent runs one with
// `[podman] service_dir` (what `npm start` configures); the tests run theirs in a temp dir.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PodmanClient } from "./client.ts";

export interface OwnPodman {
  dir: string;
  socket: string;
  /** Volatile state (containers' run files): under `dir` unless that path is too long. */
  runroot: string;
  /** The podman CLI's global flags for this storage (--root, --runroot, --storage-driver). */
  global: string[];
  /** The environment that points podman (CLI and service) at these settings. */
  env: NodeJS.ProcessEnv;
}

/** podman refuses a runroot over 50 characters: a deep folder's goes to /tmp, named by a hash. */
export function runrootOf(dir: string): string {
  const inside = join(dir, "runroot");
  if (inside.length <= 50) return inside;
  return join(
    tmpdir(),
    `mcp-runroot-${createHash("sha256").update(dir).digest("hex").slice(0, 12)}`,
  );
}

/** Where everything of the podman under `dir` lives (nothing is written). */
export function ownPodman(dir: string, socket = join(dir, "podman.sock")): OwnPodman {
  const at = (name: string) => join(dir, name);
  return {
    dir,
    socket,
    runroot: runrootOf(dir),
    global: ["--root", at("root"), "--runroot", runrootOf(dir), "--storage-driver", "vfs"],
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      XDG_RUNTIME_DIR: at("run"),
      XDG_CONFIG_HOME: at("config"),
      TMPDIR: at("tmp"),
      CONTAINERS_CONF: at("containers.conf"),
      CONTAINERS_STORAGE_CONF: at("storage.conf"),
    },
  };
}

/** Writes containers.conf and storage.conf and makes the folders (0700); on every start. */
export function writePodmanFiles(p: OwnPodman): void {
  const at = (name: string) => join(p.dir, name);
  for (const d of ["", "run", "tmp", "config"]) mkdirSync(at(d), { recursive: true, mode: 0o700 });
  const conf = [
    "[containers]",
    'default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]',
    'init_path = "/usr/bin/catatonit"',
    "[engine]",
    'runtime = "runc"',
    'cgroup_manager = "cgroupfs"',
    'events_logger = "file"',
    `tmp_dir = ${JSON.stringify(at("tmp"))}`,
    "",
  ];
  writeFileSync(at("containers.conf"), conf.join("\n"));
  writeFileSync(
    at("storage.conf"),
    `[storage]\ndriver = "vfs"\nrunroot = ${JSON.stringify(p.runroot)}\ngraphroot = ${JSON.stringify(at("root"))}\n`,
  );
}

/** `podman <global> system service --time=0 unix://<socket>`: the service's arguments. */
export function serviceArgs(p: OwnPodman): string[] {
  return [...p.global, "system", "service", "--time=0", `unix://${p.socket}`];
}

/**
 * Polls until the service answers on its socket; `failed()` returns why it cannot any more (it
 * exited), which is thrown, as is the deadline passing.
 */
export async function waitUntilServing(
  p: OwnPodman,
  o: { failed(): string | undefined; timeoutMs: number },
): Promise<void> {
  const client = new PodmanClient(p.socket);
  const deadline = Date.now() + o.timeoutMs;
  try {
    for (;;) {
      if (existsSync(p.socket)) {
        try {
          await client.version();
          return;
        } catch {
          // not accepting yet
        }
      }
      const why = o.failed();
      if (why !== undefined) throw new Error(`podman system service exited: ${why}`);
      if (Date.now() > deadline)
        throw new Error(`podman system service not answering on ${p.socket}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.close();
  }
}

/** A service a previous run left behind (its owner was killed): stopped before a new one starts. */
function stopLeftover(pidFile: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  try {
    if (pid > 0 && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("system\0service"))
      process.kill(pid, "SIGKILL");
  } catch {
    // gone already
  }
  rmSync(pidFile, { force: true });
}

const SYSTEM_CAS = "/etc/ssl/certs/ca-certificates.crt";
const SETPRIV = "/usr/bin/setpriv";

/** The system's CAs and `caCert` in one file (SSL_CERT_FILE replaces the system's list). */
function trustBundle(p: OwnPodman, caCert: string): string {
  const file = join(p.dir, "ca-bundle.pem");
  const system = existsSync(SYSTEM_CAS) ? readFileSync(SYSTEM_CAS, "utf8") : "";
  writeFileSync(file, `${system}\n${readFileSync(caCert, "utf8")}`);
  return file;
}

/**
 * A container runs (or podman cannot say): a runroot outside the folder is then kept when the
 * service stops, else removed (podman rebuilds it as after a reboot).
 */
async function anyRunning(p: OwnPodman): Promise<boolean> {
  const client = new PodmanClient(p.socket);
  try {
    return (await client.listContainers()).some((c) => c.state === "running");
  } catch {
    return true;
  } finally {
    client.close();
  }
}

export interface RunningPodman {
  pid: number;
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts the service under `p.dir` as a child (its output goes to this process's stderr) and
 * waits until it answers; with `caCert` it also trusts that CA for registries. The pid is kept in the folder so a leftover is stopped next time.
 */
export async function startOwnPodman(
  p: OwnPodman,
  o: { caCert?: string; timeoutMs?: number } = {},
): Promise<RunningPodman> {
  writePodmanFiles(p);
  const pidFile = join(p.dir, "podman-service.pid");
  stopLeftover(pidFile);
  // Through setpriv (util-linux), the service gets SIGTERM when its owner dies, even by SIGKILL
  // or by a signal that came before the owner's handlers were installed.
  const [cmd, args] = existsSync(SETPRIV)
    ? [SETPRIV, ["--pdeathsig", "SIGTERM", "podman", ...serviceArgs(p)]]
    : ["podman", serviceArgs(p)];
  const child: ChildProcess = spawn(cmd, args, {
    // The owner's environment under these settings (a supervisor or test finds it by its own).
    env: {
      ...process.env,
      ...p.env,
      ...(o.caCert ? { SSL_CERT_FILE: trustBundle(p, o.caCert) } : {}),
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  let error: string | undefined;
  child.once("error", (e) => {
    error = e.message;
  });
  child.once("exit", (code, signal) => {
    error ??= signal ? `signal ${signal}` : `exit code ${code}`;
  });
  writeFileSync(pidFile, `${child.pid ?? 0}\n`);
  const stop = async (graceMs = 10_000) => {
    const dropRunroot = !p.runroot.startsWith(`${p.dir}/`) && !(await anyRunning(p));
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await gone;
      clearTimeout(t);
    }
    rmSync(pidFile, { force: true });
    if (dropRunroot) rmSync(p.runroot, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(p, { failed: () => error, timeoutMs: o.timeoutMs ?? 60_000 });
  } catch (e) {
    await stop(1_000);
    throw e;
  }
  return { pid: child.pid ?? 0, stop };
}
