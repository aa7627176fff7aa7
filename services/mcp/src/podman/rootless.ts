// What rootless podman needs from the host, probed when the agent does not run as root: the
// tun device (slirp4netns/pasta networking) usable by the agent's user, cgroups v2 with the
// memory and pids controllers delegated to the agent's cgroup, newuidmap/newgidmap, and
// subordinate id ranges in /etc/subuid and /etc/subgid. Each missing piece is one line the
// agent logs at start-up. `root` lets a test point the probes at a directory of its own.
import { accessSync, constants, readFileSync, statfsSync, statSync } from "node:fs";
import { join } from "node:path";

const CGROUP2_SUPER_MAGIC = 0x63677270;

export interface HostProbe {
  /** "/" on a real host. */
  root: string;
  uid: number;
  user: string;
  /** Where newuidmap/newgidmap are looked for. */
  path: string[];
}

export interface Missing {
  what: "tun" | "cgroups_v2" | "cgroup_delegation" | "newuidmap" | "subids";
  detail: string;
}

function usable(file: string, mode: number): boolean {
  try {
    accessSync(file, mode);
    return true;
  } catch {
    return false;
  }
}

function checkTun(h: HostProbe): Missing[] {
  const tun = join(h.root, "dev/net/tun");
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(tun);
  } catch {
    return [{ what: "tun", detail: `${tun} does not exist (no container networking)` }];
  }
  if (!st.isCharacterDevice()) return [{ what: "tun", detail: `${tun} is not a character device` }];
  if (!usable(tun, constants.R_OK | constants.W_OK))
    return [{ what: "tun", detail: `${tun} is not readable and writable by uid ${h.uid}` }];
  return [];
}

/** The agent's own cgroup (the "0::" line of /proc/self/cgroup). */
function ownCgroup(h: HostProbe): string {
  const lines = readFileSync(join(h.root, "proc/self/cgroup"), "utf8").split("\n");
  return lines.find((l) => l.startsWith("0::"))?.slice(3) ?? "/";
}

function checkCgroups(h: HostProbe): Missing[] {
  const fs = join(h.root, "sys/fs/cgroup");
  let type = 0;
  try {
    type = Number(statfsSync(fs).type);
  } catch {
    // absent: reported below
  }
  if (type !== CGROUP2_SUPER_MAGIC)
    return [{ what: "cgroups_v2", detail: `${fs} is not cgroup2 (cgroups v1: no limits)` }];
  const own = join(fs, ownCgroup(h));
  let controllers: string[] = [];
  try {
    controllers = readFileSync(join(own, "cgroup.controllers"), "utf8").trim().split(/\s+/);
  } catch {
    // unreadable: nothing delegated
  }
  const lacking = ["memory", "pids"].filter((c) => !controllers.includes(c));
  const out: Missing[] = [];
  if (lacking.length)
    out.push({ what: "cgroup_delegation", detail: `${own} lacks ${lacking.join(", ")}` });
  else if (!usable(own, constants.W_OK))
    out.push({ what: "cgroup_delegation", detail: `${own} is not writable by uid ${h.uid}` });
  return out;
}

function checkIdMaps(h: HostProbe): Missing[] {
  const out: Missing[] = [];
  for (const bin of ["newuidmap", "newgidmap"]) {
    const found = h.path.some((d) => usable(join(h.root, d, bin), constants.X_OK));
    if (!found) out.push({ what: "newuidmap", detail: `${bin} not found (Debian package uidmap)` });
  }
  for (const f of ["etc/subuid", "etc/subgid"]) {
    let text = "";
    try {
      text = readFileSync(join(h.root, f), "utf8");
    } catch {
      // absent
    }
    const has = text
      .split("\n")
      .some((l) => [h.user, String(h.uid)].includes(l.split(":")[0] ?? ""));
    if (!has) out.push({ what: "subids", detail: `/${f} has no range for ${h.user}` });
  }
  return out;
}

/** Everything rootless podman lacks on this host; empty when it can run. */
export function rootlessMissing(h: HostProbe): Missing[] {
  return [...checkTun(h), ...checkCgroups(h), ...checkIdMaps(h)];
}

export function thisHost(): HostProbe {
  const uid = process.getuid?.() ?? 0;
  const user = process.env.USER || process.env.LOGNAME || String(uid);
  const path = (process.env.PATH || "/usr/bin:/bin").split(":").filter(Boolean);
  return { root: "/", uid, user, path };
}
