// MC-Proxy benchmark: mc-proxy, HAProxy, nginx and Caddy side by side in one run, in front of the
// same nginx backend, on loopback. L7 (TLS termination → plain HTTP backend) and L4 (SNI
// passthrough → TLS backend): HTTP/1.1 keep-alive (wrk), HTTP/2 (h2load), new TLS connections
// per second (wrk with Connection: close), bulk 16 MiB downloads. Reports raw throughput and work
// per proxy CPU-second (from /proc/<pid>/stat), and ratios to HAProxy.
// Usage: node --import tsx bench/mc-proxy/run.ts
// Env: BENCH_SECONDS=5, BENCH_ROUNDS=2, MCPROXY_WORKERS=0,2 (one mc-proxy per entry), BENCH_ONLY=mc,haproxy (proxy name prefixes),
// BENCH_SCENARIOS=l7-h1,l4-bulk (scenario ids), MCPROXY_BEFORE=/old/src/cmd/mc-proxy.ts. A partial run prints but does not write the report.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { createTestCA, freePort, makeTempDir, REPO_ROOT } from "@metacircular/testkit";
import { cpuSeconds, h2load, type LoadResult, memoryMiB, tree, wrk } from "./measure.ts";
import {
  backendNginx,
  caddy,
  type Files,
  haproxy,
  mcProxy,
  nginxProxy,
  type Ports,
  type Proc,
  waitPort,
} from "./servers.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** mc-proxy configurations to run: 0 = one process (the default config), N = N cluster workers. */
const WORKERS = (process.env.MCPROXY_WORKERS ?? `0,${availableParallelism()}`)
  .split(",")
  .map((w) => Number(w));
const label = (w: number) => (w === 0 ? "1 process" : `${w} workers`);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** MCPROXY_BEFORE=<path to an older src/cmd/mc-proxy.ts>: also run that version, side by side. */
const BEFORE = process.env.MCPROXY_BEFORE;

interface Scenario {
  id: string;
  layer: "l7" | "l4";
  title: string;
  unit: "req" | "MiB";
  go(port: number): Promise<LoadResult>;
}

const scenarios: Scenario[] = [];
for (const layer of ["l7", "l4"] as const) {
  scenarios.push(
    {
      id: `${layer}-h1`,
      layer,
      title: "HTTP/1.1 keep-alive (wrk, 50 conns)",
      unit: "req",
      go: (p) => wrk(`https://localhost:${p}/`, { connections: 50, seconds: SECONDS }),
    },
    {
      id: `${layer}-h2`,
      layer,
      title: "HTTP/2 (h2load, 20 conns × 10 streams)",
      unit: "req",
      go: (p) =>
        h2load(`https://localhost:${p}/`, { connections: 20, streams: 10, seconds: SECONDS }),
    },
    {
      id: `${layer}-hs`,
      layer,
      title: "new TLS connection per request (wrk, Connection: close, 20 conns)",
      unit: "req",
      go: (p) => wrk(`https://localhost:${p}/`, { connections: 20, seconds: SECONDS, close: true }),
    },
    {
      id: `${layer}-bulk`,
      layer,
      title: "bulk 16 MiB downloads (wrk, 4 conns)",
      unit: "MiB",
      go: (p) => wrk(`https://localhost:${p}/big`, { connections: 4, seconds: SECONDS }),
    },
  );
}

interface Row {
  proxy: string;
  scenario: string;
  rate: number;
  p99: number | null;
  cpu: number;
  perCpu: number;
  errors: number;
}

const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
let loadBefore = "";
let loadAfter = "";

type ProxySpec = { name: string; start(p: Ports): Proc; l4: boolean };
type Running = { px: ProxySpec; proc: Proc; ports: Ports };
type Memory = { rss: number; unique: number; peak: number; procs: number };
type Acc = { amount: number; secs: number; cpu: number; p99: number[]; errors: number };

/** The certificates and the 16 MiB download every proxy and the backend serve. */
function benchFiles(tmp: ReturnType<typeof makeTempDir>, ca: ReturnType<typeof createTestCA>) {
  const leaf = ca.issue(["localhost"]);
  const backendLeaf = ca.issue(["localhost"]);
  const big = tmp.join("big.bin");
  writeFileSync(big, randomBytes(16 << 20));
  return {
    dir: tmp.path,
    cert: leaf.certPath,
    key: leaf.keyPath,
    backendCert: backendLeaf.certPath,
    backendKey: backendLeaf.keyPath,
    big,
  } satisfies Files;
}

/** Every proxy of the comparison, narrowed to BENCH_ONLY's name prefixes when set. */
function selectProxies(files: Files, only: string | undefined): ProxySpec[] {
  const proxies: ProxySpec[] = [
    ...WORKERS.map((w) => ({
      name: `mc-proxy (${label(w)})`,
      start: (p: Ports) => mcProxy(files, p, w),
      l4: true,
    })),
    { name: "HAProxy", start: (p) => haproxy(files, p), l4: true },
    ...(BEFORE
      ? [
          {
            name: `mc-proxy before (${label(WORKERS[0] ?? 0)})`,
            start: (p: Ports) => mcProxy(files, p, WORKERS[0] ?? 0, BEFORE),
            l4: true,
          },
        ]
      : []),
    { name: "nginx", start: (p) => nginxProxy(files, p), l4: true },
    { name: "Caddy", start: (p) => caddy(files, p), l4: false },
  ];
  const onlyList = only?.split(",") ?? [];
  return only
    ? proxies.filter((p) => onlyList.some((o) => p.name.toLowerCase().startsWith(o)))
    : proxies;
}

/** Starts the proxies one after the other (each warmed up), pushing each onto `running`. */
async function startProxies(
  selected: ProxySpec[],
  backendPorts: Pick<Ports, "backendPlain" | "backendTls">,
  running: Running[],
): Promise<void> {
  // Ports are picked before any proxy starts: later, outgoing connections hold ephemeral ports.
  const allPorts: Ports[] = [];
  for (const _ of selected)
    allPorts.push({ ...backendPorts, l7: await freePort(), l4: await freePort() });
  for (const [i, px] of selected.entries()) {
    const ports = allPorts[i] as Ports;
    const proc = px.start(ports);
    running.push({ px, proc, ports });
    try {
      await waitPort(ports.l7);
      if (px.l4) await waitPort(ports.l4);
    } catch (e) {
      throw new Error(`${px.name} failed: ${(e as Error).message}\n${proc.out()}`);
    }
    await wrk(`https://localhost:${ports.l7}/`, { connections: 20, seconds: 1 }); // warm-up
  }
}

/** One turn of one proxy in scenario `s`, added to its accumulator. */
async function turn(s: Scenario, { px, proc, ports }: Running, acc: Map<string, Acc>) {
  const pid = proc.proc.pid as number;
  const before = cpuSeconds(pid);
  const r = await s.go(s.layer === "l7" ? ports.l7 : ports.l4);
  const cpu = cpuSeconds(pid) - before;
  const amount = s.unit === "MiB" ? (r.mibPerSec ?? 0) * r.seconds : r.requests;
  const a = acc.get(px.name) ?? { amount: 0, secs: 0, cpu: 0, p99: [], errors: 0 };
  a.amount += amount;
  a.secs += r.seconds;
  a.cpu += cpu;
  if (r.p99ms !== null) a.p99.push(r.p99ms);
  a.errors += r.errors;
  acc.set(px.name, a);
  console.log(
    `${px.name.padEnd(22)} ${s.id.padEnd(8)} ${(amount / r.seconds).toFixed(0).padStart(8)} ${s.unit}/s  cpu ${cpu.toFixed(2)}s  errors ${r.errors}`,
  );
}

/** Scenario `s` for every running proxy, ROUNDS times in alternating order: one row each. */
async function measure(s: Scenario, running: Running[]): Promise<Row[]> {
  const acc = new Map<string, Acc>();
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? running : [...running].reverse();
    for (const r of order) if (s.layer === "l7" || r.px.l4) await turn(s, r, acc);
  }
  const rows: Row[] = [];
  for (const { px } of running) {
    const a = acc.get(px.name);
    if (a === undefined) continue;
    rows.push({
      proxy: px.name,
      scenario: s.id,
      rate: a.amount / a.secs,
      p99: a.p99.length > 0 ? Math.max(...a.p99) : null,
      cpu: a.cpu,
      perCpu: a.cpu > 0 ? a.amount / a.cpu : 0,
      errors: a.errors,
    });
  }
  return rows;
}

async function main(): Promise<void> {
  loadBefore = loadavg();
  const tmp = makeTempDir("mcp-bench-");
  const ca = createTestCA("Bench CA");
  const files = benchFiles(tmp, ca);
  const backendPorts = { backendPlain: await freePort(), backendTls: await freePort() };
  const backend = backendNginx(files, { ...backendPorts, l7: 0, l4: 0 });
  await waitPort(backendPorts.backendPlain);
  await waitPort(backendPorts.backendTls);
  const only = process.env.BENCH_ONLY?.toLowerCase();
  const scen = process.env.BENCH_SCENARIOS?.split(",");
  const rows: Row[] = [];
  const rss: Record<string, Memory> = {};
  // All proxies run at once (idle ones cost nothing) and every scenario is measured for each in
  // turn, ROUNDS times, alternating the order (A B C, C B A, ...): load from other work on the
  // machine drifts over minutes, and this keeps it from favouring whoever ran first.
  const running: Running[] = [];
  try {
    await startProxies(selectProxies(files, only), backendPorts, running);
    for (const s of scenarios)
      if (scen === undefined || scen.includes(s.id)) rows.push(...(await measure(s, running)));
    for (const { px, proc } of running) {
      const pid = proc.proc.pid as number;
      rss[px.name] = { ...memoryMiB(pid), procs: tree(pid).length };
    }
  } finally {
    for (const { proc } of running) await proc.stop();
    await backend.stop();
    ca.remove();
    tmp.remove();
  }
  loadAfter = loadavg();
  const report = render(rows, rss);
  // A partial run (BENCH_ONLY) prints its tables but leaves the side-by-side report alone.
  if (only === undefined && scen === undefined) {
    mkdirSync(join(REPO_ROOT, "bench/results"), { recursive: true });
    writeFileSync(join(REPO_ROOT, "bench/results/mc-proxy.md"), report);
  }
  console.log(report);
}

function render(rows: Row[], rss: Record<string, Memory>): string {
  const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
  const lines = [
    "# MC-Proxy benchmark",
    "",
    `Generated by \`node --import tsx bench/mc-proxy/run.ts\` on ${new Date().toISOString().slice(0, 10)}: ${availableParallelism()} cores shared by`,
    "the load generator, the nginx backend and the proxy under test, all on loopback. All proxies run at",
    `once; each scenario runs ${SECONDS} s per proxy in ${ROUNDS} rounds, the proxies taking turns in an order`,
    "reversed every round (figures are totals over the rounds, p99 the worst round), so drifting load from",
    'other work on the machine does not favour one proxy. Access logs are off everywhere. "per CPU-s"',
    "divides the work done by the CPU time the proxy's process tree used during its turns (utime + stime",
    "from /proc/<pid>/stat) — the fair figure on a shared",
    "machine. Ratios compare with HAProxy per CPU-second. Caddy has no L4 mode in Debian's build.",
    `mc-proxy runs as its esbuild bundle under plain node (\`npm run build\`, MCPROXY_SOURCE=1 for tsx).`,
    `Load average (1/5/15 min) at the start: ${loadBefore}; at the end: ${loadAfter}.`,
    "",
  ];
  for (const s of scenarios) {
    const rs = rows.filter((r) => r.scenario === s.id);
    if (rs.length === 0) continue;
    const ha = rs.find((r) => r.proxy === "HAProxy");
    lines.push(`## ${s.layer.toUpperCase()} — ${s.title}`, "");
    lines.push(
      `| proxy | ${s.unit}/s | p99 ms | proxy CPU-s | ${s.unit} per CPU-s | vs HAProxy (per CPU-s) | errors |`,
    );
    lines.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const r of rs) {
      const ratio = ha && ha.perCpu > 0 ? `${(r.perCpu / ha.perCpu).toFixed(2)}×` : "-";
      lines.push(
        `| ${r.proxy} | ${fmt(r.rate)} | ${r.p99 === null ? "-" : r.p99.toFixed(1)} | ${r.cpu.toFixed(2)} | ${fmt(r.perCpu)} | ${ratio} | ${r.errors} |`,
      );
    }
    lines.push("");
  }
  lines.push(
    "## Memory after the run (whole process tree)",
    "",
    "RSS sums every process's resident set (the node binary's pages count once per process);",
    '"unique" counts each page once: all private pages plus the shared pages of one process',
    "(from /proc/<pid>/smaps_rollup). Single-process servers show the same figure twice. Peak is",
    "the highest resident set during the whole run (VmHWM, summed over the processes).",
    "",
    "| proxy | processes | RSS sum MiB | unique MiB | peak RSS MiB |",
    "| --- | ---: | ---: | ---: | ---: |",
  );
  for (const [k, v] of Object.entries(rss))
    lines.push(
      `| ${k} | ${v.procs} | ${v.rss.toFixed(0)} | ${v.unique.toFixed(0)} | ${v.peak.toFixed(0)} |`,
    );
  lines.push("");
  return lines.join("\n");
}

await main();
