// CLI call latency, cold, on plain node: the bundled mciasctl and mcproxyctl (rebuilt by this run)
// started from a directory outside the checkout with only a CLI profile, 10 runs each, median.
//   node --import tsx bench/cli/run.ts
// Writes bench/results/cli.md. Target (issue 14): < 300 ms for a simple call.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { makeTempDir, startMcias, startProcess, writeCliProfile } from "@metacircular/testkit";
import { stringify } from "smol-toml";
import { timeNodeCalls, timingRow } from "../lib/cli-timing.ts";

const root = join(import.meta.dirname, "../..");
const RUNS = 10;

for (const svc of ["mcias", "mc-proxy"])
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

const home = mkdtempSync(join(tmpdir(), "bench-cli-home-"));
writeCliProfile(join(home, "config"), { mciasUrl: m.url, socket });
const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, "config") };

function median(label: string, args: string[], input = ""): string {
  return timingRow(label, timeNodeCalls(args, { cwd: home, env, input, runs: RUNS }));
}

const ctl = (svc: string, name: string) => join(root, "services", svc, "dist", `${name}.mjs`);
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
];
await proxy.stop();
await m.stop();
srv.remove();
rmSync(home, { recursive: true, force: true });

const md = `# CLI call latency

Cold wall time of one CLI process on plain node (\`node services/<svc>/dist/<ctl>.mjs\`), started
from a temporary directory outside the checkout with only a CLI profile; servers from their
bundles on loopback. ${RUNS} runs each. Target (issue 14): < 300 ms for a simple call.
Command: \`node --import tsx bench/cli/run.ts\`. Node ${process.version}, ${cpus().length} cores,
load average ${loadavg()[0]!.toFixed(2)} at the end (a shared machine).

| Call | median ms | min ms | max ms |
| ---- | --------: | -----: | -----: |
${rows.join("\n")}
`;
writeFileSync(join(root, "bench/results/cli.md"), md);
process.stdout.write(md);
