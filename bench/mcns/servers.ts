// Starts the three servers for the benchmark as unprivileged-style child processes on high
// loopback ports, configs in temp dirs: mcns (its own CLI), NSD and Knot.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { freeTcpUdpPort as freeDnsPort } from "@metacircular/testkit";
import { BENCH_ZONE } from "./zone.ts";

export interface BenchServer {
  name: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, "../..");

function own(name: string, proc: ChildProcess, port: number): BenchServer {
  let out = "";
  proc.stdout?.on("data", (d) => (out += d));
  proc.stderr?.on("data", (d) => (out += d));
  proc.on("exit", (code) => {
    if (code && code !== 0) console.error(`${name} exited ${code}: ${out}`);
  });
  return {
    name,
    port,
    pid: proc.pid!,
    async stop() {
      if (proc.exitCode !== null) return;
      const done = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await done;
    },
  };
}

async function waitUp(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      execFileSync("dig", [
        "@127.0.0.1",
        "-p",
        String(port),
        BENCH_ZONE,
        "SOA",
        "+short",
        "+time=1",
        "+tries=1",
      ]);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`server on ${port} did not come up`);
}

/** How an mcns benchmark server runs: the deployed bundle (default) or the sources under tsx. */
export interface McnsBenchOptions {
  form?: "bundle" | "source";
  /** Extra node flags (the deployed unit adds --max-semi-space-size=1). */
  nodeFlags?: string[];
  /** The API: on (default; /metrics on this port, tokens checked by this MCIAS) or off. */
  api?: { port: number; mciasUrl: string } | "off";
}

export const MCNS_BUNDLE = join(ROOT, "services/mcns/dist/mcns.mjs");
export const MCNSCTL_BUNDLE = join(ROOT, "services/mcns/dist/mcnsctl.mjs");
/** The node flags the systemd unit and the Containerfile run the bundle with. */
export const MCNS_DEPLOYED_FLAGS = ["--max-semi-space-size=1"];

/** Builds dist/mcns.mjs and dist/mcnsctl.mjs (what deploy/ runs). */
export function buildMcnsBundle(): void {
  execFileSync("npm", ["run", "build", "-w", "services/mcns"], { cwd: ROOT, stdio: "ignore" });
}

/**
 * mcns from its own CLI. `udpIo` picks the UDP path: "native" (batched recvmmsg/sendmmsg through
 * the addon, the default when built) or "dgram" (node:dgram, the fallback).
 */
export async function startMcnsBench(
  parent: string,
  zoneFile: string,
  udpIo: "native" | "dgram" = "native",
  name = "mcns",
  opts: McnsBenchOptions = {},
): Promise<BenchServer> {
  const port = await freeDnsPort();
  const dir = join(parent, `mcns-${udpIo}-${name.replace(/[^a-z0-9]+/gi, "-")}`);
  mkdirSync(dir, { recursive: true });
  const cfg = join(dir, "mcns.toml");
  const api = opts.api ?? { port: 0, mciasUrl: "http://127.0.0.1:9" };
  const apiToml =
    api === "off"
      ? "[api]\nenabled = false\n"
      : `[mcias]\nserver_url = "${api.mciasUrl}"\nservice_name = "mcns"\n`;
  writeFileSync(
    cfg,
    `[server]
listen_addr = "127.0.0.1:${api === "off" ? 0 : api.port}"
[database]
path = "${join(dir, "mcns.sqlite")}"
[log]
level = "warn"
${apiToml}[dns]
listen_addr = "127.0.0.1:${port}"
udp_io = "${udpIo}"
# NSD runs with RRL off here too: the benchmark is one client at full speed.
rate_limit = 0
`,
  );
  const entry =
    opts.form === "source"
      ? ["--import", "tsx", join(ROOT, "services/mcns/src/cmd/mcns.ts")]
      : [MCNS_BUNDLE];
  execFileSync(
    process.execPath,
    [...entry, "zone-import", "--config", cfg, "--zone", BENCH_ZONE, zoneFile],
    { cwd: ROOT },
  );
  const proc = spawn(
    process.execPath,
    [...(opts.nodeFlags ?? []), ...entry, "server", "--config", cfg],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  await waitUp(port);
  return own(name, proc, port);
}

export async function startNsdBench(dir: string, zoneFile: string): Promise<BenchServer> {
  const port = await freeDnsPort();
  const d = join(dir, "nsd");
  mkdirSync(d, { recursive: true });
  writeFileSync(
    join(d, "nsd.conf"),
    `server:
  ip-address: 127.0.0.1@${port}
  port: ${port}
  username: ""
  chroot: ""
  zonesdir: "${d}"
  database: ""
  zonelistfile: "${d}/zone.list"
  xfrdfile: "${d}/xfrd.state"
  xfrdir: "${d}"
  pidfile: "${d}/nsd.pid"
  logfile: "${d}/nsd.log"
  server-count: 1
  minimal-responses: yes
  hide-version: yes
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
remote-control:
  control-enable: no
zone:
  name: "${BENCH_ZONE}"
  zonefile: "${zoneFile}"
`,
  );
  const proc = spawn("nsd", ["-d", "-c", join(d, "nsd.conf")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  await waitUp(port);
  // NSD serves from forked children; run.ts sums CPU over the whole process tree.
  return own("NSD", proc, port);
}

export async function startKnotBench(dir: string, zoneFile: string): Promise<BenchServer> {
  const port = await freeDnsPort();
  const d = join(dir, "knot");
  mkdirSync(d, { recursive: true });
  writeFileSync(
    join(d, "knot.conf"),
    `server:
    listen: 127.0.0.1@${port}
    rundir: "${d}"
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "${d}"
log:
  - target: stderr
    any: warning
template:
  - id: default
    storage: "${d}"
    semantic-checks: off
zone:
  - domain: ${BENCH_ZONE}
    file: "${zoneFile}"
`,
  );
  const proc = spawn("knotd", ["-c", join(d, "knot.conf")], { stdio: ["ignore", "pipe", "pipe"] });
  await waitUp(port);
  return own("Knot", proc, port);
}

/**
 * The floor for any Node.js UDP server: a bare dgram echo (sets QR, no DNS work). Shows how much
 * of mcns's CPU per query is the runtime's per-datagram cost rather than mcns's own code.
 */
export async function startNodeEchoBench(): Promise<BenchServer> {
  const port = await freeDnsPort();
  const script = `const d=require("node:dgram");const s=d.createSocket({type:"udp4",lookup:(a,f,cb)=>cb(null,a,4)});
s.on("message",(m,r)=>{m[2]|=0x80;s.send(m,r.port,r.address)});s.bind(${port},"127.0.0.1");`;
  const proc = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise((r) => setTimeout(r, 500));
  return own("Node UDP echo (floor)", proc, port);
}
