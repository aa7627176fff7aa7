// Starting a service as a child process and tearing it down. Output is kept so a failing test
// can show it, and so tests can assert what was (and was not) logged.
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { exitedWithOutput } from "./exit.ts";

export const REPO_ROOT = resolve(import.meta.dirname, "../../..");

export interface ChildService {
  proc: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the first output line matching the pattern. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL after graceMs; resolves with the exit code (or signal name). */
  stop(graceMs?: number): Promise<number | string>;
  exited: Promise<number | string>;
}

export interface StartOptions {
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run a TypeScript entry point with tsx (the default for .ts files). */
  tsx?: boolean;
}

/** Starts `node --import tsx <entry> ...args` (or any command when entry is not .ts). */
export function startProcess(entry: string, opts: StartOptions = {}): ChildService {
  const isTs = opts.tsx ?? entry.endsWith(".ts");
  const cmd = isTs ? process.execPath : entry;
  const args = isTs ? ["--import", "tsx", entry, ...(opts.args ?? [])] : (opts.args ?? []);
  const proc = spawn(cmd, args, {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let buf = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    buf += chunk.toString("utf8");
    for (const l of listeners) l();
  };
  proc.stdout?.on("data", onData);
  proc.stderr?.on("data", onData);
  // Gone: exited and all of its output read (waitForLine and output() see everything).
  let gone = false;
  const exited = exitedWithOutput(proc).then(({ code, signal }) => {
    gone = true;
    for (const l of listeners) l();
    return code ?? signal ?? "unknown";
  });

  return {
    proc,
    exited,
    output: () => buf,
    waitForLine(pattern, timeoutMs = 20_000) {
      return new Promise((res, rej) => {
        const check = () => {
          for (const line of buf.split("\n")) {
            const m = line.match(pattern);
            if (m) {
              done();
              res(m);
              return;
            }
          }
          if (gone) {
            done();
            rej(new Error(`process exited before printing ${pattern}:\n${buf}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          rej(new Error(`timed out waiting for ${pattern}; output so far:\n${buf}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async stop(graceMs = 5_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return exited;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Polls a URL until it answers 2xx (any TLS certificate accepted when insecure is set). */
export async function waitForHttp(
  url: string,
  opts: { timeoutMs?: number; ca?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await httpGet(url, opts.ca);
      if (res >= 200 && res < 300) return;
      last = new Error(`status ${res}`);
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not healthy in time: ${String(last)}`);
}

async function httpGet(url: string, ca?: string): Promise<number> {
  const u = new URL(url);
  const mod = u.protocol === "https:" ? await import("node:https") : await import("node:http");
  return new Promise((res, rej) => {
    const req = mod.get(url, { ca, timeout: 2_000 }, (r) => {
      r.resume();
      res(r.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", rej);
  });
}
