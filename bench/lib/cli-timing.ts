// Cold call latency of a command-line tool: wall time of `node <args>` started afresh each time
// (spawnSync, so nothing else of the benchmark runs meanwhile), as median, min and max.
import { spawnSync } from "node:child_process";

export interface CallTiming {
  median: number;
  min: number;
  max: number;
}

export interface CallOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  runs: number;
  /** Written to the process's stdin (e.g. a password line). */
  input?: string;
}

/** Runs `node ...args` `runs` times; throws with stderr when a run fails. Times in ms. */
export function timeNodeCalls(args: string[], o: CallOptions): CallTiming {
  const t: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, args, {
      cwd: o.cwd,
      env: o.env,
      input: o.input ?? "",
      encoding: "utf8",
    });
    t.push(performance.now() - start);
    if (r.status !== 0) throw new Error(`node ${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
  }
  t.sort((a, b) => a - b);
  const mid = Math.floor(t.length / 2);
  const median = t.length % 2 ? t[mid]! : (t[mid - 1]! + t[mid]!) / 2;
  return { median, min: t[0]!, max: t[t.length - 1]! };
}

/** One Markdown table row: | label | median | min | max | (ms, rounded). */
export function timingRow(label: string, t: CallTiming): string {
  return `| ${label} | ${t.median.toFixed(0)} | ${t.min.toFixed(0)} | ${t.max.toFixed(0)} |`;
}
