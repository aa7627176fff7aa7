// Who holds a port: the socket inode from /proc/net/{tcp,udp}[6], then the process whose
// /proc/<pid>/fd links to that inode. Linux only; undefined when it cannot be told (another
// user's process, another network namespace, no /proc).
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

const TCP_LISTEN = "0A";

function socketInodes(port: number, protocol: "tcp" | "udp"): Set<string> {
  const inodes = new Set<string>();
  for (const table of [protocol, `${protocol}6`]) {
    let text: string;
    try {
      text = readFileSync(`/proc/net/${table}`, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      const local = f[1];
      if (!local || f[9] === undefined) continue;
      const hexPort = local.slice(local.lastIndexOf(":") + 1);
      if (Number.parseInt(hexPort, 16) !== port) continue;
      if (protocol === "tcp" && f[3] !== TCP_LISTEN) continue;
      if (f[9] !== "0") inodes.add(f[9]);
    }
  }
  return inodes;
}

function commandLine(pid: string): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    const text = argv.join(" ");
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return "?";
  }
}

function pidHolding(inodes: Set<string>): string | undefined {
  const wanted = new Set([...inodes].map((i) => `socket:[${i}]`));
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (wanted.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return pid;
      } catch {
        // the descriptor closed while we looked
      }
    }
  }
  return undefined;
}

/** A service left running by an earlier supervisor that is gone (killed with SIGKILL). */
function leftoverOf(pid: string): boolean {
  let supervisor: number;
  try {
    const env = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
    supervisor = Number(env.find((e) => e.startsWith("MC_SUPERVISOR_PID="))?.slice(18));
  } catch {
    return false;
  }
  if (!Number.isInteger(supervisor) || supervisor <= 0) return false;
  try {
    process.kill(supervisor, 0);
    return false;
  } catch {
    return true;
  }
}

/** "pid 123 (python3 -m http.server)", or undefined when the owner is not visible. */
export function describePortOwner(port: number, protocol: "tcp" | "udp"): string | undefined {
  const inodes = socketInodes(port, protocol);
  if (inodes.size === 0) return undefined;
  const pid = pidHolding(inodes);
  if (pid === undefined) return undefined;
  const leftover = leftoverOf(pid) ? ", left over from an earlier npm start: kill it" : "";
  return `pid ${pid} (${commandLine(pid)}${leftover})`;
}
