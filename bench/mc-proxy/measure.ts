// Load generators (wrk, h2load) and CPU/RSS accounting of a process tree from /proc.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpuSeconds, tree } from "../lib/proc.ts";

export { cpuSeconds, tree };

/**
 * Memory of the tree, MiB. `peak` sums each process's high-water mark (VmHWM). `rss` sums VmRSS (every process counts the pages it shares with the
 * others, such as the node binary, again). `unique` counts each page once: the private pages of
 * every process plus the shared pages of the process that has the most of them (the processes of
 * one tree share the same executable and libraries). From /proc/<pid>/smaps_rollup.
 */
export function memoryMiB(pid: number): { rss: number; unique: number; peak: number } {
  let rss = 0;
  let priv = 0;
  let shared = 0;
  let peak = 0;
  for (const p of tree(pid)) {
    try {
      // VmHWM: the highest resident set the process ever had (summed over the tree).
      const st = readFileSync(`/proc/${p}/status`, "utf8");
      peak += Number(/^VmHWM:\s+(\d+)/m.exec(st)?.[1] ?? 0);
      const t = readFileSync(`/proc/${p}/smaps_rollup`, "utf8");
      const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(t)?.[1] ?? 0);
      rss += kb("Rss");
      priv += kb("Private_Clean") + kb("Private_Dirty");
      shared = Math.max(shared, kb("Shared_Clean") + kb("Shared_Dirty"));
    } catch {
      // gone
    }
  }
  return { rss: rss / 1024, unique: (priv + shared) / 1024, peak: peak / 1024 };
}

function sh(cmd: string, args: string[]): Promise<string> {
  return new Promise((res) =>
    execFile(cmd, args, { maxBuffer: 1 << 24 }, (_e, stdout, stderr) =>
      res(`${stdout}\n${stderr}`),
    ),
  );
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p99ms: number | null;
  mibPerSec: number | null;
  errors: number;
  raw: string;
}

function unitMs(v: string, u: string): number {
  const n = Number(v);
  return u === "us" ? n / 1000 : u === "s" ? n * 1000 : n;
}

function toMiB(v: string, u: string): number {
  const n = Number(v);
  const f: Record<string, number> = { B: 1 / 1048576, KB: 1 / 1024, MB: 1, GB: 1024 };
  return n * (f[u] ?? 1);
}

export async function wrk(
  url: string,
  opts: { connections: number; seconds: number; close?: boolean; threads?: number },
): Promise<LoadResult> {
  const args = [
    `-t${opts.threads ?? 2}`,
    `-c${opts.connections}`,
    `-d${opts.seconds}s`,
    "--latency",
  ];
  if (opts.close) args.push("-H", "Connection: close");
  const raw = await sh("wrk", [...args, url]);
  const req = /(\d+) requests in ([\d.]+)(\w+)/.exec(raw);
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)/m.exec(raw);
  const tr = /Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)/.exec(raw);
  const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(raw);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(raw);
  const secs = req ? Number(req[2]) * (req[3] === "m" ? 60 : 1) : opts.seconds;
  const requests = req ? Number(req[1]) : 0;
  return {
    requests,
    seconds: secs,
    rps: requests / secs,
    p99ms: p99 ? unitMs(p99[1] as string, p99[2] as string) : null,
    mibPerSec: tr ? toMiB(tr[1] as string, tr[2] as string) : null,
    errors:
      (non2xx ? Number(non2xx[1]) : 0) +
      (errs ? Number(errs[1]) + Number(errs[2]) + Number(errs[3]) + Number(errs[4]) : 0),
    raw,
  };
}

export async function h2load(
  url: string,
  opts: { connections: number; streams: number; seconds: number },
): Promise<LoadResult> {
  const raw = await sh("h2load", [
    "-c",
    String(opts.connections),
    "-m",
    String(opts.streams),
    "-D",
    String(opts.seconds),
    url,
  ]);
  const fin = /finished in ([\d.]+)s, ([\d.]+) req\/s/.exec(raw);
  const reqs =
    /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored/.exec(
      raw,
    );
  const status = /status codes: (\d+) 2xx/.exec(raw);
  const secs = fin ? Number(fin[1]) : opts.seconds;
  const ok = status ? Number(status[1]) : 0;
  return {
    requests: ok,
    seconds: secs,
    rps: ok / secs,
    p99ms: null,
    mibPerSec: null,
    errors: reqs ? Number(reqs[5]) + Number(reqs[6]) : 0,
    raw,
  };
}
