// Runs NSD (Debian's nsd) as an unprivileged-style child process on a high loopback port with its
// config in a temp dir — as primary for a zone file, or as a secondary of mcns.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeTcpUdpPort as freeDnsPort } from "@metacircular/testkit";
import { dig } from "./dig.ts";

export interface NsdHandle {
  port: number;
  dir: string;
  proc: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

export interface NsdZone {
  name: string;
  /** Zone file text (primary) … */
  text?: string;
  /** … or the primary to transfer from (secondary). */
  primary?: string;
  /** TSIG key for the transfer (secondary). */
  tsig?: { name: string; secret: string };
}

export async function startNsd(
  zones: NsdZone[],
  opts: { rrl?: boolean; port?: number } = {},
): Promise<NsdHandle> {
  const dir = mkdtempSync(join(tmpdir(), "mcns-nsd-"));
  const port = opts.port ?? (await freeDnsPort());
  const zoneConf = zones
    .map((z, i) => {
      const file = join(dir, `zone${i}.db`);
      if (z.text !== undefined) writeFileSync(file, z.text);
      const lines = [`zone:`, `  name: "${z.name}"`, `  zonefile: "${file}"`];
      if (z.primary) {
        const [h, p] = z.primary.split(":");
        const key = z.tsig?.name ?? "NOKEY";
        lines.push(`  allow-notify: ${h} NOKEY`, `  request-xfr: AXFR ${h}@${p} ${key}`);
      }
      const keyConf = z.tsig
        ? `key:\n  name: "${z.tsig.name}"\n  algorithm: hmac-sha256\n  secret: "${z.tsig.secret}"\n`
        : "";
      return keyConf + lines.join("\n");
    })
    .join("\n");
  const conf = `server:
  ip-address: 127.0.0.1@${port}
  port: ${port}
  username: ""
  chroot: ""
  zonesdir: "${dir}"
  database: ""
  zonelistfile: "${dir}/zone.list"
  xfrdfile: "${dir}/xfrd.state"
  xfrdir: "${dir}"
  pidfile: "${dir}/nsd.pid"
  logfile: "${dir}/nsd.log"
  server-count: 1
  minimal-responses: yes
  refuse-any: no
  hide-version: yes
  verbosity: 2
  ${opts.rrl ? "" : "rrl-ratelimit: 0\n  rrl-whitelist-ratelimit: 0"}
remote-control:
  control-enable: no
${zoneConf}
`;
  writeFileSync(join(dir, "nsd.conf"), conf);
  const proc = spawn("nsd", ["-d", "-c", join(dir, "nsd.conf")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d) => (out += d));
  proc.stderr?.on("data", (d) => (out += d));
  const log = () => {
    try {
      return out + readFileSync(join(dir, "nsd.log"), "utf8");
    } catch {
      return out;
    }
  };
  // Wait until it answers (any rcode) for the first zone; a bound in time, not in tries (each try
  // starts a dig process, which a loaded machine makes slow).
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nsd exited: ${log()}`);
    try {
      const r = await dig(port, zones[0]!.name, "SOA", ["+time=1"]);
      if (r.status) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`nsd did not start: ${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    dir,
    proc,
    log,
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
