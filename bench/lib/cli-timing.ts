// Cold call latency of a command-line tool: `node <args>` started afresh each time (spawnSync,
// so nothing else of the benchmark runs meanwhile) under GNU time: wall time as median, min and
// max, and the median user+sys CPU time (10 ms resolution), which a loaded machine does not
// inflate the way it inflates wall time.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface CallTiming {
  median: number;
  min: number;
  max: number;
  cpuMedian: number;
}

export interface CallOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  runs: number;
  /** Written to the process's stdin (e.g. a password line). */
  input?: string;
}

const median = (xs: number[]) => {
  const t = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(t.length / 2);
  return t.length % 2 ? t[mid]! : (t[mid - 1]! + t[mid]!) / 2;
};

/** Runs `node ...args` `runs` times; throws with stderr when a run fails. Times in ms. */
export function timeNodeCalls(args: string[], o: CallOptions): CallTiming {
  const dir = mkdtempSync(join(tmpdir(), "cli-timing-"));
  const out = join(dir, "time");
  const walls: number[] = [];
  const cpus: number[] = [];
  try {
    for (let i = 0; i < o.runs; i++) {
      const start = performance.now();
      const r = spawnSync("/usr/bin/time", ["-o", out, "-f", "%U %S", process.execPath, ...args], {
        cwd: o.cwd,
        env: o.env,
        input: o.input ?? "",
        encoding: "utf8",
      });
      walls.push(performance.now() - start);
      if (r.status !== 0) throw new Error(`node ${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
      const [user, sys] = readFileSync(out, "utf8").trim().split(/\s+/).map(Number);
      cpus.push(((user ?? 0) + (sys ?? 0)) * 1000);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    median: median(walls),
    min: Math.min(...walls),
    max: Math.max(...walls),
    cpuMedian: median(cpus),
  };
}

/** One Markdown table row: | label | median | min | max | [cpu |] (ms, rounded). */
export function timingRow(label: string, t: CallTiming, withCpu = false): string {
  const cpu = withCpu ? ` ${t.cpuMedian.toFixed(0)} |` : "";
  return `| ${label} | ${t.median.toFixed(0)} | ${t.min.toFixed(0)} | ${t.max.toFixed(0)} |${cpu}`;
}
