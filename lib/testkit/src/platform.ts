// `npm start` (the local platform, scripts/start/) as tests and benchmarks run it: a free port
// base, the supervisor started through npm with its data dir and CLI profile in temp dirs, and
// every process of the run tagged with a marker variable so that none is left behind (checked
// through /proc, since a supervisor killed outright cannot stop its children).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { exitedWithOutput } from "./exit.ts";
import { bindable, ephemeralLow } from "./ports.ts";
import { REPO_ROOT } from "./process.ts";

/** Ports reserved for `npm start` from its base: at least the layout's span (scripts/start/ports.ts). */
export const PLATFORM_PORT_SPAN = 24;

/** How long a start may take on a loaded 2-core machine before a wait gives up. */
export const PLATFORM_BOOT_MS = 420_000;

const MARK_VAR = "MC_START_TEST_MARK";

/**
 * A random base in a high range whose whole span binds, TCP and UDP (DNS needs both). Below the
 * ephemeral range: there, other tests' connections and port-0 listeners would take our ports
 * between this check and a start.
 */
export async function freePortBase(span = PLATFORM_PORT_SPAN): Promise<number> {
  const high = Math.min(ephemeralLow(), 65_536) - span;
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = randomInt(20_000, high);
    let ok = true;
    for (let p = base; ok && p < base + span; p++)
      ok = (await bindable(p, false)) && (await bindable(p, true));
    if (ok) return base;
  }
  throw new Error("no free port range found");
}

/** Polls `check` every 250 ms until it holds or `ms` passed; the last answer is returned. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  ms: number,
): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return check();
}

/** A process's command line with spaces, or "" once it is gone. */
export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** Every process of one run: the marker goes into the environment every child inherits. */
export interface PlatformMark {
  value: string;
  /** Process ids (other than this one) whose environment carries the marker. */
  pids(): number[];
  /** SIGKILL to every marked process (an `after` hook's last resort). */
  killAll(): void;
}

export function platformMark(prefix = "mc-platform"): PlatformMark {
  const value = `${prefix}-${randomBytes(6).toString("hex")}`;
  const needle = `${MARK_VAR}=${value}\0`;
  const pids = () => {
    const out: number[] = [];
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
      try {
        if (readFileSync(`/proc/${name}/environ`, "utf8").includes(needle)) out.push(Number(name));
      } catch {
        // gone, or not ours to read
      }
    }
    return out;
  };
  const killAll = () => {
    for (const pid of pids()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  return { value, pids, killAll };
}

export interface PlatformOptions {
  dataDir: string;
  /** XDG_CONFIG_HOME of the run: the CLI profile is written below it. */
  configHome: string;
  mark: PlatformMark;
  /** Arguments after `npm start --`, besides --data-dir. */
  args?: string[];
}

export interface PlatformRun {
  /** The npm process; SIGTERM to it reaches the supervisor, which stops everything. */
  proc: ChildProcess;
  output(): string;
  /** Polls the output for `re`; throws with the output when the run ended or `ms` passed. */
  waitFor(re: RegExp, ms?: number): Promise<void>;
  exited: Promise<number | null>;
  /** The supervisor's pid from the ready table (after "Metacircular is ready"). */
  supervisorPid(): number;
}

/** `npm start --silent -- --data-dir <dir> ...args` from the checkout, output kept. */
export function startPlatform(o: PlatformOptions): PlatformRun {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: o.configHome };
  delete env.MC_PORT_BASE;
  delete env.MC_DATA_DIR;
  env[MARK_VAR] = o.mark.value;
  const proc = spawn(
    "npm",
    ["start", "--silent", "--", "--data-dir", o.dataDir, ...(o.args ?? [])],
    {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let text = "";
  const keep = (b: Buffer) => {
    text += b.toString("utf8");
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  let gone = false; // exited, and its output all read
  const exited = exitedWithOutput(proc).then(({ code }) => {
    gone = true;
    return code;
  });
  const waitFor = async (re: RegExp, ms = PLATFORM_BOOT_MS) => {
    const deadline = Date.now() + ms;
    while (!re.test(text)) {
      if (gone || Date.now() > deadline)
        throw new Error(`no ${re} (exit ${proc.exitCode}); output:\n${text}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const supervisorPid = () => {
    const m = /supervisor pid (\d+)/.exec(text);
    if (!m) throw new Error(`no supervisor pid in the output:\n${text}`);
    return Number(m[1]);
  };
  return { proc, output: () => text, waitFor, exited, supervisorPid };
}

/**
 * SIGTERM to the pid npm runs under, then: exit code 0 and, within 30 s, no marked process
 * left. Throws with the output or the leftovers' command lines otherwise.
 */
export async function stopPlatform(run: PlatformRun, mark: PlatformMark): Promise<void> {
  run.proc.kill("SIGTERM");
  const code = await run.exited;
  if (code !== 0) throw new Error(`npm start exited with ${code}; output:\n${run.output()}`);
  if (!(await eventually(() => mark.pids().length === 0, 30_000)))
    throw new Error(
      `left behind: ${mark
        .pids()
        .map((p) => `${p} ${cmdline(p)}`)
        .join("; ")}`,
    );
}
