// Runs Knot DNS (Debian's knotd) as a child process on a high loopback port with its config in a
// temp dir, serving one zone file.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeTcpUdpPort as freeDnsPort } from "@metacircular/testkit";
import { dig } from "./dig.ts";

export interface KnotHandle {
  port: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export async function startKnot(zone: string, text: string): Promise<KnotHandle> {
  const dir = mkdtempSync(join(tmpdir(), "mcns-knot-"));
  const port = await freeDnsPort();
  writeFileSync(join(dir, "zone.db"), text);
  writeFileSync(
    join(dir, "knot.conf"),
    `server:
    listen: 127.0.0.1@${port}
    rundir: "${dir}"
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "${dir}"
log:
  - target: stderr
    any: warning
template:
  - id: default
    storage: "${dir}"
zone:
  - domain: ${zone}
    file: "${join(dir, "zone.db")}"
`,
  );
  const proc = spawn("knotd", ["-c", join(dir, "knot.conf")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stderr?.on("data", (d) => (out += d));
  const deadline = Date.now() + 60_000; // a bound in time, not in tries: a loaded machine is slow
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`knotd exited: ${out}`);
    const r = await dig(port, zone, "SOA", ["+time=1"]).catch(() => undefined);
    if (r?.status === "NOERROR") break;
    if (Date.now() > deadline) throw new Error(`knotd did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    proc,
    async stop() {
      if (proc.exitCode === null) {
        const done = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGTERM");
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
