// CLI call latency, cold, on plain node: the bundled mciasctl, mcproxyctl and mcnsctl (rebuilt by
// this run) started from a directory outside the checkout with only a CLI profile (and, for
// mcnsctl, the token `mciasctl login --service mcns` cached), 10 runs each, median.
//   node --import tsx bench/cli/run.ts
// Writes bench/results/cli.md. Target (issue 14): < 300 ms for a simple call.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  freePort,
  freeTcpUdpPort,
  makeTempDir,
  startMcias,
  startProcess,
  writeCliProfile,
} from "@metacircular/testkit";
import { stringify } from "smol-toml";
import { timeNodeCalls, timingRow } from "../lib/cli-timing.ts";

const root = join(import.meta.dirname, "../..");
const loadStart = loadavg()[0]!.toFixed(2);
const RUNS = 10;

for (const svc of ["mcias", "mc-proxy", "mcns"])
  execFileSync("npm", ["run", "build"], { cwd: join(root, "services", svc), stdio: "ignore" });

const m = await startMcias({ entry: join(root, "services/mcias/dist/mcias.mjs") });
const srv = makeTempDir("bench-cli-");
const config = join(srv.path, "mc-proxy.toml");
const socket = join(srv.path, "mc-proxy.sock");
writeFileSync(
  config,
  stringify({
    server: { workers: 0, shutdown_timeout_ms: 1000, access_log: false },
    admin: { socket },
    database: { path: join(srv.path, "mc-proxy.db") },
    log: { level: "info" },
    listeners: [{ name: "web", addr: "127.0.0.1:0" }],
  }),
);
const proxy = startProcess(process.execPath, {
  args: [join(root, "services/mc-proxy/dist/mc-proxy.cjs"), "server", "--config", config],
  cwd: srv.path,
});
await proxy.waitForLine(/"msg":"ready"/, 30_000);

const mcnsApi = await freePort();
writeFileSync(
  join(srv.path, "mcns.toml"),
  stringify({
    server: { listen_addr: `127.0.0.1:${mcnsApi}` },
    database: { path: join(srv.path, "mcns.db") },
    log: { level: "info" },
    mcias: { server_url: m.url, service_name: "mcns" },
    dns: { listen_addr: `127.0.0.1:${await freeTcpUdpPort()}` },
  }),
);
const mcns = startProcess(process.execPath, {
  args: [join(root, "services/mcns/dist/mcns.mjs"), "server", "--config", "mcns.toml"],
  cwd: srv.path,
  tsx: false,
});
await mcns.waitForLine(/mcns started/, 60_000);

const home = mkdtempSync(join(tmpdir(), "bench-cli-home-"));
writeCliProfile(join(home, "config"), {
  mciasUrl: m.url,
  mcnsUrl: `http://127.0.0.1:${mcnsApi}`,
  socket,
});
const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, "config") };

/** One table row: wall median, min, max and user+sys CPU median (GNU time) of RUNS cold calls. */
function median(label: string, args: string[], input = ""): string {
  return timingRow(label, timeNodeCalls(args, { cwd: home, env, input, runs: RUNS }), true);
}

const ctl = (svc: string, name: string) => join(root, "services", svc, "dist", `${name}.mjs`);
// mcnsctl's token: one login for the audience mcns, cached for the profile's MCIAS.
const mcnsLogin = spawnSync(
  process.execPath,
  [ctl("mcias", "mciasctl"), "login", "--service", "mcns"],
  {
    cwd: home,
    env,
    input: `${m.adminPassword}\n`,
    encoding: "utf8",
  },
);
if (mcnsLogin.status !== 0) throw new Error(`mciasctl login --service mcns: ${mcnsLogin.stderr}`);
const rows = [
  median("`node -e 0` (floor)", ["-e", "0"]),
  median("`mciasctl --help`", [ctl("mcias", "mciasctl"), "--help"]),
  median(
    "`mciasctl login` (password on stdin)",
    [ctl("mcias", "mciasctl"), "login"],
    `${m.adminPassword}\n`,
  ),
  median("`mciasctl account list` (cached token)", [ctl("mcias", "mciasctl"), "account", "list"]),
  median("`mcproxyctl --help`", [ctl("mc-proxy", "mcproxyctl"), "--help"]),
  median("`mcproxyctl status`", [ctl("mc-proxy", "mcproxyctl"), "status"]),
  median("`mcproxyctl routes list`", [ctl("mc-proxy", "mcproxyctl"), "routes", "list"]),
  median("`mcnsctl --help`", [ctl("mcns", "mcnsctl"), "--help"]),
  median("`mcnsctl zone list` (cached token)", [ctl("mcns", "mcnsctl"), "zone", "list"]),
];
await mcns.stop();
await proxy.stop();
await m.stop();
srv.remove();
rmSync(home, { recursive: true, force: true });

const md = `# CLI call latency

Cold wall time of one CLI process on plain node (\`node services/<svc>/dist/<ctl>.mjs\`), started
from a temporary directory outside the checkout with only a CLI profile (mcnsctl also with the
token \`mciasctl login --service mcns\` cached); servers from their bundles on loopback. ${RUNS} runs
each. Target (issue 14): < 300 ms for a simple call. CPU is the process's user+sys time (GNU
time), which a busy machine inflates far less than wall time: on a loaded machine compare CPU
with the \`node -e 0\` floor. Command: \`node --import tsx bench/cli/run.ts\`. Node ${process.version},
${cpus().length} cores, load average ${loadStart} at the start and ${loadavg()[0]!.toFixed(2)} at the end
(a shared machine).

| Call | median ms | min ms | max ms | CPU median ms |
| ---- | --------: | -----: | -----: | ------------: |
${rows.join("\n")}
`;
writeFileSync(join(root, "bench/results/cli.md"), md);
process.stdout.write(md);
