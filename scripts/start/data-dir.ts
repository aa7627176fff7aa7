// The data dir's life cycle: a pid file so two supervisors never share one, a guarded --reset
// (only a directory that npm start made is deleted), and the folders every service needs.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Layout } from "./layout.ts";

const PID_FILE = "supervisor.pid";

/** A live process that runs this supervisor (a recycled pid runs something else). */
function aliveSupervisor(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("scripts/start/main.ts");
  } catch {
    return false;
  }
}

/** The pid of another live supervisor using this data dir, if any. */
export function otherSupervisor(l: Layout): number | undefined {
  try {
    const pid = Number(readFileSync(join(l.root, PID_FILE), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && aliveSupervisor(pid)
      ? pid
      : undefined;
  } catch {
    return undefined;
  }
}

/** Why --reset must not delete this directory, or undefined when it may. */
export function resetRefusal(l: Layout): string | undefined {
  if (!existsSync(l.root)) return undefined;
  // platform.json, or the MCIAS config every npm start has written (also before platform.json).
  if (existsSync(l.stateFile) || existsSync(l.mcias.config)) return undefined;
  if (readdirSync(l.root).length === 0) return undefined;
  return `${l.root} exists but was not made by npm start (no platform.json); not deleting it`;
}

export function resetDataDir(l: Layout): void {
  rmSync(l.root, { recursive: true, force: true });
}

/** The data dir with its common folders and one per service (0700), and this supervisor's pid. */
export function prepareDataDir(l: Layout, serviceNames: readonly string[]): void {
  const dirs = [l.root, l.caDir, l.logsDir, ...serviceNames.map((n) => l.service(n).dir)];
  for (const d of dirs) mkdirSync(d, { recursive: true, mode: 0o700 });
  writeFileSync(join(l.root, PID_FILE), `${process.pid}\n`, { mode: 0o600 });
}

export function releaseDataDir(l: Layout): void {
  if (otherSupervisor(l) === undefined) rmSync(join(l.root, PID_FILE), { force: true });
}

/** MC-Proxy seeds listeners and routes only into an empty database: drop it when the seed changed. */
export function dropProxyState(l: Layout): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${l.proxy.db}${suffix}`, { force: true });
}
