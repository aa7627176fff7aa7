// Platform footprint (issue 14): `npm start` on a free port base into a temp data dir, ready,
// then an idle settle period; the resident memory of every process of the run (npm's wrapper,
// the supervisor and every service, found by the marker variable every one inherits) and the
// CPU they used while idle; then cold call latency of the three bundled CLIs on plain node from
// a directory outside the checkout with only the CLI profile; then the time to ready of a
// second start on the same data dir. Not a test: figures only.
//   node --import tsx bench/platform/run.ts [runs per CLI call]
// Writes bench/results/platform.md.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import {
  cmdline,
  freePortBase,
  makeTempDir,
  platformMark,
  startPlatform,
  stopPlatform,
} from "@metacircular/testkit";
import { type CallOptions, timeNodeCalls, timingRow } from "../lib/cli-timing.ts";
import { cpuSeconds, type Memory, memoryOf } from "../lib/proc.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const RUNS = Number(process.argv[2] ?? 10);
const SETTLE_MS = 30_000;
const SAMPLES = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

/** What a process of the run is, from its command line. */
function roleOf(pid: number): string {
  const c = cmdline(pid);
  if (c.includes("scripts/start/main.ts")) return "supervisor (`scripts/start/main.ts`)";
  if (c.includes("services/mcp/src/cmd/mcp-agent.ts")) return "mcp-agent";
  if (/\bpodman\b.*\bsystem service\b/.test(c)) return "podman system service (mcp-agent's)";
  const svc = /services\/([a-z-]+)\/src\/cmd\/\1\.ts/.exec(c);
  if (svc) return svc[1]!;
  if (/\bnpm\b/.test(c)) return "npm (the `npm start` wrapper)";
  return c.slice(0, 60);
}

interface Sample {
  rows: Array<{ role: string; pid: number; m: Memory }>;
  total: number;
}

function sample(pids: number[]): Sample {
  const rows = pids.map((pid) => ({ role: roleOf(pid), pid, m: memoryOf(pid) }));
  return { rows, total: rows.reduce((s, r) => s + r.m.rss, 0) };
}

/** SAMPLES readings a second apart; the one with the median total. */
async function medianSample(pids: number[]): Promise<Sample> {
  const all: Sample[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    all.push(sample(pids));
    await sleep(1000);
  }
  return all.sort((a, b) => a.total - b.total)[Math.floor(SAMPLES / 2)]!;
}

const mib = (x: number) => x.toFixed(1);
const memRow = (label: string, m: Memory) =>
  `| ${label} | ${mib(m.rss)} | ${mib(m.anon)} | ${mib(m.file)} |`;

function sum(rows: Sample["rows"]): Memory {
  return rows.reduce(
    (s, r) => ({ rss: s.rss + r.m.rss, anon: s.anon + r.m.anon, file: s.file + r.m.file }),
    { rss: 0, anon: 0, file: 0 },
  );
}

function memoryTable(s: Sample): string {
  const order = (r: string) => (r.startsWith("npm") ? 2 : r.startsWith("supervisor") ? 0 : 1);
  const rows = [...s.rows].sort((a, b) => order(a.role) - order(b.role));
  const platform = rows.filter((r) => !r.role.startsWith("npm"));
  return [
    "| Process | RSS | anon | file |",
    "| --- | --: | --: | --: |",
    ...rows.map((r) => memRow(r.role, r.m)),
    memRow("**platform: supervisor + services**", sum(platform)),
    memRow("**everything `npm start` runs (with npm)**", sum(rows)),
  ].join("\n");
}

/** Logs in for MCIAS and MCNS (tokens cached), then times one simple call per CLI. */
function cliRows(o: CallOptions, passwordFile: string): string[] {
  const ctl = (svc: string, name: string) => join(ROOT, "services", svc, "dist", `${name}.mjs`);
  const password = readFileSync(passwordFile, "utf8");
  for (const service of ["mcias", "mcns"])
    timeNodeCalls([ctl("mcias", "mciasctl"), "login", "admin", "--service", service], {
      ...o,
      runs: 1,
      input: password,
    });
  const calls: Array<[string, string[]]> = [
    ["`node -e 0` (floor)", ["-e", "0"]],
    ["`mciasctl account list`", [ctl("mcias", "mciasctl"), "account", "list"]],
    ["`mcnsctl zone list`", [ctl("mcns", "mcnsctl"), "zone", "list"]],
    ["`mcproxyctl routes list`", [ctl("mc-proxy", "mcproxyctl"), "routes", "list"]],
  ];
  return calls.map(([label, args]) => timingRow(label, timeNodeCalls(args, o), true));
}

function report(
  s: Sample,
  idleCpuPct: number,
  readyS: string,
  warmS: string,
  cli: string[],
  loads: [string, string],
): string {
  return `# Platform footprint

The whole local platform as \`npm start\` runs it (MCIAS, MCNS, MC-Proxy, Metacrypt in DEV mode,
MCR, MCQ, MCDoc, MCAT and the MCP agent with its own podman service, from their sources under
tsx, one supervisor), idle, and cold CLI calls against it.
Command: \`node --import tsx bench/platform/run.ts ${RUNS}\`, on ${new Date().toISOString().slice(0, 10)}.
Node ${process.version}, ${cpus().length} cores, load average ${loads[0]} at the start and
${loads[1]} at the end (a shared machine: wall times include the wait for a core).

## Idle memory

Start-up (the supervisor's own figure, first line of the ready summary): ${readyS} s on a fresh
data dir (includes \`metacrypt dev-bootstrap\`: barrier init, CA mount, every certificate),
${warmS} s for a second start on the same data dir (certificates kept, Metacrypt unsealed by
the health probe). Memory: after the first start, then ${SETTLE_MS / 1000} s idle; memory is
the median of ${SAMPLES} readings a second apart, from \`/proc/<pid>/status\` of every process
that carries the run's marker variable. MiB: RSS = VmRSS, anon = RssAnon (V8 heaps, malloc; under
tsx also its loader thread's isolate), file = RssFile + RssShmem (the node binary and libraries
paged in, partly shared between the processes, so the sum over-counts physical memory).

${memoryTable(s)}

CPU while idle: ${idleCpuPct.toFixed(2)} % of one core for all of them together (utime + stime
over the settle period). The services run here from source under tsx, as in development; their
deployed bundles on plain node are smaller (\`bench/results/mcns.md\`, "Idle memory and CLI
latency").

## CLI call latency

Cold wall time of one CLI process on plain node (\`node services/<svc>/dist/<ctl>.mjs\`, built
by this run with each service's \`npm run build\`), started from a temporary directory outside
the checkout whose environment holds only PATH, HOME and XDG_CONFIG_HOME (the CLI profile
\`npm start\` wrote); tokens from one \`mciasctl login\` per audience. ${RUNS} runs each, ms:
wall time (median, min, max) and the median user+sys CPU time of the process (GNU time, 10 ms
resolution; on a loaded machine wall time is mostly the wait for a core, compare the floor).
Target (issue 14): < 300 ms for a simple call.

| Call | wall median | min | max | CPU median |
| --- | --: | --: | --: | --: |
${cli.join("\n")}
`;
}

const readyFigure = (output: string) =>
  /Metacircular is ready \(([\d.]+) s/.exec(output)?.[1] ?? "?";

async function main(): Promise<void> {
  for (const svc of ["mcias", "mcns", "mc-proxy"])
    execFileSync("npm", ["run", "build"], { cwd: join(ROOT, "services", svc), stdio: "ignore" });
  const startLoad = load();
  const tmp = makeTempDir("bench-platform-");
  const work = join(tmp.path, "work");
  mkdirSync(work);
  const configHome = join(tmp.path, "xdg");
  const mark = platformMark("bench-platform");
  const base = await freePortBase();
  const options = {
    dataDir: join(tmp.path, "platform"),
    configHome,
    mark,
    args: ["--port-base", String(base)],
  };
  const run = startPlatform(options);
  try {
    await run.waitFor(/Metacircular is ready/);
    const readyS = readyFigure(run.output());
    const npmPid = run.proc.pid!;
    const cpu0 = cpuSeconds(npmPid);
    await sleep(SETTLE_MS);
    const idleCpuPct = ((cpuSeconds(npmPid) - cpu0) / (SETTLE_MS / 1000)) * 100;
    const s = await medianSample(mark.pids());
    const profile = JSON.parse(readFileSync(join(configHome, "metacircular/profile.json"), "utf8"));
    const env = { PATH: process.env.PATH, HOME: work, XDG_CONFIG_HOME: configHome };
    const cli = cliRows({ cwd: work, env, runs: RUNS }, profile.admin.password_file);
    await stopPlatform(run, mark);
    const warm = startPlatform(options);
    await warm.waitFor(/Metacircular is ready/);
    const warmS = readyFigure(warm.output());
    await stopPlatform(warm, mark);
    const md = report(s, idleCpuPct, readyS, warmS, cli, [startLoad, load()]);
    writeFileSync(join(ROOT, "bench/results/platform.md"), md);
    process.stdout.write(md);
  } finally {
    mark.killAll();
    tmp.remove();
  }
}

await main();
