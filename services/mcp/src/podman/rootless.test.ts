// Rootless podman's host requirements: the probes on this machine agree with what independent
// tools say about it (stat -f for the cgroup file system, `command -v` for newuidmap, test -c
// for the tun device), and on prepared directories each missing piece is named.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { makeTempDir, type TempDir } from "@metacircular/testkit";
import { type HostProbe, rootlessMissing, thisHost } from "./rootless.ts";

const sh = (script: string) => {
  try {
    return execFileSync("sh", ["-c", script], { encoding: "utf8" }).trim();
  } catch {
    return "";
  }
};

test("this machine: the probes agree with stat, command -v and test -c", () => {
  const host = { ...thisHost(), uid: 65534, user: "nobody" }; // as an unprivileged agent
  const missing = rootlessMissing(host);
  const whats = new Set(missing.map((m) => m.what));
  const cgroup2 = sh("stat -fc %T /sys/fs/cgroup") === "cgroup2fs";
  assert.equal(whats.has("cgroups_v2"), !cgroup2, JSON.stringify(missing));
  const idmap = sh("command -v newuidmap") !== "" && sh("command -v newgidmap") !== "";
  assert.equal(whats.has("newuidmap"), !idmap, JSON.stringify(missing));
  if (sh("test -c /dev/net/tun && echo yes") !== "yes") assert.ok(whats.has("tun"));
  const subids = sh("grep -q '^nobody:' /etc/subuid && grep -q '^nobody:' /etc/subgid && echo y");
  assert.equal(whats.has("subids"), subids !== "y");
  for (const m of missing) assert.ok(m.detail.length > 0);
});

let root: TempDir;
before(() => {
  root = makeTempDir("mcp-rootless-");
});
after(() => root.remove());

test("a prepared host: each missing piece is named, and what is there is not", () => {
  const r = root.path;
  mkdirSync(`${r}/dev/net`, { recursive: true });
  writeFileSync(`${r}/dev/net/tun`, ""); // a file, not a device
  mkdirSync(`${r}/proc/self`, { recursive: true });
  writeFileSync(`${r}/proc/self/cgroup`, "0::/user.slice\n");
  mkdirSync(`${r}/sys/fs/cgroup`, { recursive: true }); // not a cgroup2 mount
  mkdirSync(`${r}/usr/bin`, { recursive: true });
  writeFileSync(`${r}/usr/bin/newuidmap`, "#!/bin/sh\n", { mode: 0o755 });
  mkdirSync(`${r}/etc`);
  writeFileSync(`${r}/etc/subuid`, "agent:100000:65536\n");
  writeFileSync(`${r}/etc/subgid`, "other:100000:65536\n");
  const h: HostProbe = { root: r, uid: 1000, user: "agent", path: ["/usr/bin"] };
  const got = rootlessMissing(h).map((m) => `${m.what}: ${m.detail}`);
  assert.deepEqual(got, [
    `tun: ${r}/dev/net/tun is not a character device`,
    `cgroups_v2: ${r}/sys/fs/cgroup is not cgroup2 (cgroups v1: no limits)`,
    "newuidmap: newgidmap not found (Debian package uidmap)",
    "subids: /etc/subgid has no range for agent",
  ]);
});
