// Runs a script under this node (a dist bundle, or a .ts entry with "--import tsx") to its end
// and hands back the exit code and output, failing or not, for bundle and CLI tests to assert on.
import { execFile } from "node:child_process";

export interface NodeRunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed; without it stdin stays an open pipe. */
  input?: string;
  /** Kill the process after this many ms (default: no limit; the test's timeout applies). */
  timeoutMs?: number;
}

export interface NodeRun {
  /** Exit status; -1 when the process was killed by a signal or could not start. */
  code: number;
  out: string;
  err: string;
}

/** `node ...args`, resolved (never rejected) once the process has exited. */
export function runNode(args: readonly string[], opts: NodeRunOptions = {}): Promise<NodeRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      args,
      {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
        ...(opts.env === undefined ? {} : { env: opts.env }),
        ...(opts.timeoutMs === undefined ? {} : { timeout: opts.timeoutMs }),
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, out: stdout, err: stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}
