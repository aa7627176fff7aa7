// `npm start`: boots the platform on this machine for development — MCIAS, MCNS and MC-Proxy as
// child processes on loopback, with configs and data under .tmp/platform/. Ctrl-C stops all.
// Production deployments use each service's deploy/ files instead.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const data = join(root, ".tmp/platform");

const PORTS = {
  mciasHttp: 18443,
  mciasGrpc: 18444,
  mcnsHttp: 18453,
  mcnsGrpc: 18454,
  mcnsDns: 15353,
  proxyListener: 10443,
  proxyMetrics: 19091,
};

function writeOnce(path: string, text: string): void {
  mkdirSync(resolve(path, ".."), { recursive: true });
  if (!existsSync(path)) writeFileSync(path, text, { mode: 0o600 });
}

const mciasConf = join(data, "mcias/mcias.toml");
writeOnce(
  mciasConf,
  `[server]
listen_addr = "127.0.0.1:${PORTS.mciasHttp}"
grpc_addr = "127.0.0.1:${PORTS.mciasGrpc}"

[database]
path = "${join(data, "mcias/mcias.db")}"

[policy]
default = "deny"
`,
);

const mcnsConf = join(data, "mcns/mcns.toml");
writeOnce(
  mcnsConf,
  `[server]
listen_addr = "127.0.0.1:${PORTS.mcnsHttp}"
grpc_addr = "127.0.0.1:${PORTS.mcnsGrpc}"

[database]
path = "${join(data, "mcns/mcns.db")}"

[mcias]
server_url = "http://127.0.0.1:${PORTS.mciasHttp}"
service_name = "mcns"

[dns]
listen_addr = "127.0.0.1:${PORTS.mcnsDns}"

[forwarding]
enabled = false
`,
);

const proxyConf = join(data, "mc-proxy/mc-proxy.toml");
writeOnce(
  proxyConf,
  `[server]
workers = 0

[admin]
socket = "${join(data, "mc-proxy/mc-proxy.sock")}"

[metrics]
listen_addr = "127.0.0.1:${PORTS.proxyMetrics}"

[database]
path = "${join(data, "mc-proxy/mc-proxy.db")}"

[[listeners]]
name = "web"
addr = "127.0.0.1:${PORTS.proxyListener}"
`,
);

const services: Array<[string, string, string]> = [
  ["mcias", "services/mcias/src/cmd/mcias.ts", mciasConf],
  ["mcns", "services/mcns/src/cmd/mcns.ts", mcnsConf],
  ["mc-proxy", "services/mc-proxy/src/cmd/mc-proxy.ts", proxyConf],
];

const children: ChildProcess[] = [];
let stopping = false;

function prefixLines(name: string, chunk: Buffer, out: NodeJS.WriteStream): void {
  for (const line of chunk.toString("utf8").split("\n"))
    if (line) out.write(`${name.padEnd(8)} | ${line}\n`);
}

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill("SIGTERM");
  setTimeout(() => process.exit(code), 12_000).unref();
  Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r(0) : c.once("exit", r)))),
  ).then(() => process.exit(code));
}

for (const [name, entry, conf] of services) {
  const child = spawn(process.execPath, ["--import", "tsx", entry, "server", "--config", conf], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (b: Buffer) => prefixLines(name, b, process.stdout));
  child.stderr?.on("data", (b: Buffer) => prefixLines(name, b, process.stderr));
  child.once("exit", (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${code ?? signal}); stopping the platform`);
      stopAll(1);
    }
  });
  children.push(child);
}

console.log(`Metacircular is starting (data in ${data}):
  MCIAS     http://127.0.0.1:${PORTS.mciasHttp}  (gRPC ${PORTS.mciasGrpc}; the first admin's one-time password is printed once below)
  MCNS      DNS 127.0.0.1:${PORTS.mcnsDns} (udp/tcp), API http://127.0.0.1:${PORTS.mcnsHttp}
  MC-Proxy  listener 127.0.0.1:${PORTS.proxyListener}, admin socket ${join(data, "mc-proxy/mc-proxy.sock")}, metrics :${PORTS.proxyMetrics}
Ctrl-C stops everything.`);

process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));
