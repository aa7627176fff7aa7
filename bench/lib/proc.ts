// CPU accounting of a server's process tree from /proc, shared by every benchmark: the fair
// figure on a shared machine is the work done per CPU-second of the server (utime + stime).
import { readdirSync, readFileSync } from "node:fs";

const CLK_TCK = 100;

/** The /proc/<pid>/stat fields after the command name, or null when the process is gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

function childrenByParent(): Map<number, number[]> {
  const m = new Map<number, number[]>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const f = statFields(Number(d));
    if (f === null) continue; // exited while we looked
    const ppid = Number(f[1]);
    const list = m.get(ppid) ?? [];
    list.push(Number(d));
    m.set(ppid, list);
  }
  return m;
}

/** The process and all its live descendants. */
export function tree(pid: number): number[] {
  const kids = childrenByParent();
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(kids.get(out[i] as number) ?? []));
  return out;
}

/** utime and stime (seconds) of the process tree. */
export function cpuTimes(pid: number): { user: number; system: number } {
  let user = 0;
  let system = 0;
  for (const p of tree(pid)) {
    const f = statFields(p);
    if (f === null) continue;
    user += Number(f[11]);
    system += Number(f[12]);
  }
  return { user: user / CLK_TCK, system: system / CLK_TCK };
}

/** utime + stime of the process tree, in seconds. */
export function cpuSeconds(pid: number): number {
  const t = cpuTimes(pid);
  return t.user + t.system;
}

/** Resident memory of one process or a process tree in MiB: VmRSS, and its RssAnon/RssFile split. */
export interface Memory {
  rss: number;
  anon: number;
  file: number;
}

/** Memory of one process (zeros once it is gone). */
export function memoryOf(pid: number): Memory {
  let st = "";
  try {
    st = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return { rss: 0, anon: 0, file: 0 };
  }
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(st)?.[1] ?? 0) / 1024;
  return { rss: kb("VmRSS"), anon: kb("RssAnon"), file: kb("RssFile") + kb("RssShmem") };
}

/** Memory of processes added up. */
export function memorySum(pids: number[]): Memory {
  const m: Memory = { rss: 0, anon: 0, file: 0 };
  for (const p of pids) {
    const one = memoryOf(p);
    m.rss += one.rss;
    m.anon += one.anon;
    m.file += one.file;
  }
  return m;
}
