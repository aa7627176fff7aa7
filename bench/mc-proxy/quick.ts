// Quick experiments on mc-proxy alone (no anchors): one instance in front of the nginx backend,
// chosen scenarios, user/system CPU split, work per CPU-second and memory (RSS sum / unique).
// Env: S=l7-h1,l4-bulk (scenarios), SECS=4, W=0 (workers), CMD="node --flags path/to/entry"
// (default: the sources under tsx), STRACE=1 (strace -c to /tmp/strace-mcproxy-<id>.txt),
// MEM=1 (heap spaces, external, RSS), THREADS=1 (CPU per thread name), PERF=1 (perf record -g to /tmp/perf-mcproxy-<id>.data; add --perf-basic-prof to CMD), RAW=1.
// Usage: S=l7-h1,l7-h2 W=2 node --import tsx bench/mc-proxy/quick.ts
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createTestCA, freePort, makeTempDir, REPO_ROOT } from "@metacircular/testkit";
import { cpuTimes } from "../lib/proc.ts";
import { h2load, memoryMiB, tree, wrk } from "./measure.ts";
import { backendNginx, run, waitPort } from "./servers.ts";

const tmp = makeTempDir("mcp-exp-");
const ca = createTestCA();
const leaf = ca.issue(["localhost"]);
const p = {
  backendPlain: await freePort(),
  backendTls: await freePort(),
  l7: await freePort(),
  l4: await freePort(),
  metrics: await freePort(),
};
const f = {
  dir: tmp.path,
  cert: leaf.certPath,
  key: leaf.keyPath,
  backendCert: leaf.certPath,
  backendKey: leaf.keyPath,
  big: tmp.join("big"),
};
writeFileSync(f.big, Buffer.alloc(16 << 20, 7));
const be = backendNginx(f, p);
await waitPort(p.backendPlain);
await waitPort(p.backendTls);
const conf = tmp.join("p.toml");
const W = process.env.W ?? "0";
writeFileSync(
  conf,
  `[server]\nworkers = ${W}\naccess_log = false\nshutdown_timeout_ms = 1000\n[admin]\nsocket = "${tmp.join("s.sock")}"\n[metrics]\nlisten_addr = "127.0.0.1:${p.metrics}"\n[database]\npath = "${tmp.join("p.db")}"\n[log]\nlevel = "warn"\n[[listeners]]\nname = "l7"\naddr = "127.0.0.1:${p.l7}"\n[[listeners.routes]]\nhostname = "localhost"\nbackend = "127.0.0.1:${p.backendPlain}"\nmode = "l7"\ntls_cert = "${f.cert}"\ntls_key = "${f.key}"\n[[listeners]]\nname = "l4"\naddr = "127.0.0.1:${p.l4}"\n[[listeners.routes]]\nhostname = "localhost"\nbackend = "127.0.0.1:${p.backendTls}"\nmode = "l4"\n`,
);
const cmd = (
  process.env.CMD ??
  `${process.execPath} --import tsx ${REPO_ROOT}/services/mc-proxy/src/cmd/mc-proxy.ts`
)
  .split(" ")
  .filter((w) => w !== "");
const px = run("mc-proxy", cmd[0]!, [...cmd.slice(1), "server", "--config", conf]);
await waitPort(p.l7);
await waitPort(p.l4);
await wrk(`https://localhost:${p.l7}/`, { connections: 20, seconds: 1 });
const stat = (): [number, number] => {
  const t = cpuTimes(px.proc.pid!);
  return [t.user, t.system];
};
/** CPU seconds per thread name (THREADS=1): main thread, libuv pool, V8 workers, ingress I/O. */
const threads = (): Map<string, number> => {
  const m = new Map<string, number>();
  const dir = `/proc/${px.proc.pid}/task`;
  for (const t of readdirSync(dir)) {
    try {
      const st = readFileSync(`${dir}/${t}/stat`, "utf8");
      const name = st.slice(st.indexOf("(") + 1, st.lastIndexOf(")"));
      const f = st.slice(st.lastIndexOf(")") + 2).split(" ");
      const cpu = (Number(f[11]) + Number(f[12])) / 100;
      const key = `${name}/${t === String(px.proc.pid) ? "main" : t}`;
      m.set(key, (m.get(key) ?? 0) + cpu);
    } catch {}
  }
  return m;
};
const rss = () => {
  const m = memoryMiB(px.proc.pid as number);
  return `${m.rss.toFixed(0)}/${m.unique.toFixed(0)} peak ${m.peak.toFixed(0)}`;
};
for (const sc of (process.env.S ?? "l7-h1").split(",")) {
  const [layer, kind] = sc.split("-");
  const port = layer === "l7" ? p.l7 : p.l4;
  let st: ReturnType<typeof spawn> | undefined;
  if (process.env.STRACE) {
    const pids = tree(px.proc.pid!);
    st = spawn("strace", [
      "-c",
      "-f",
      "-o",
      `/tmp/strace-mcproxy-${sc}.txt`,
      ...pids.flatMap((q) => ["-p", String(q)]),
    ]);
    await new Promise((r) => setTimeout(r, 300));
  }
  if (process.env.PERF) {
    st = spawn(
      "perf",
      [
        "record",
        "-F",
        "499",
        "-g",
        "-o",
        `/tmp/perf-mcproxy-${sc}.data`,
        "-p",
        String(px.proc.pid),
      ],
      { stdio: "ignore" },
    );
    await new Promise((r) => setTimeout(r, 300));
  }
  const t0 = threads();
  const [u0, s0] = stat();
  const secs = Number(process.env.SECS ?? 4);
  const r =
    kind === "h2"
      ? await h2load(`https://localhost:${port}/`, { connections: 20, streams: 10, seconds: secs })
      : await wrk(`https://localhost:${port}/${kind === "bulk" ? "big" : ""}`, {
          connections: kind === "bulk" ? 4 : kind === "hs" ? 20 : 50,
          seconds: secs,
          close: kind === "hs",
        });
  const [u1, s1] = stat();
  if (process.env.THREADS) {
    const t1 = threads();
    console.log(
      [...t1]
        .map(([k, v]) => `${k} ${(v - (t0.get(k) ?? 0)).toFixed(2)}`)
        .filter((x) => !x.endsWith(" 0.00"))
        .join(", "),
    );
  }
  if (process.env.RAW) console.log(r.raw);
  if (process.env.MEM) {
    // V8 heap by space and external memory next to RSS (MiB), from the default metrics.
    const m = await fetch(`http://127.0.0.1:${p.metrics}/metrics`).then((x) => x.text());
    const pick = (re: RegExp) =>
      [...m.matchAll(re)].map((x) => `${x[1]}=${(Number(x[2]) / 2 ** 20).toFixed(0)}`).join(" ");
    console.log(
      pick(
        /^(process_resident_memory_bytes|nodejs_heap_size_total_bytes|nodejs_external_memory_bytes) (\S+)$/gm,
      ),
      pick(/^nodejs_heap_space_size_total_bytes\{space="(\w+)"\} (\S+)$/gm),
    );
  }
  if (st) {
    st.kill("SIGINT");
    await new Promise((r) => st!.once("exit", r));
  }
  const cpu = u1 - u0 + s1 - s0;
  const amount = kind === "bulk" ? (r.mibPerSec ?? 0) * r.seconds : r.requests;
  console.log(
    `${sc} rate ${(kind === "bulk" ? r.mibPerSec : r.rps)?.toFixed(0)} user ${(u1 - u0).toFixed(2)} sys ${(s1 - s0).toFixed(2)} perCPU ${(amount / cpu).toFixed(0)} err ${r.errors} mem ${rss()}`,
  );
}
await px.stop();
await be.stop();
tmp.remove();
ca.remove();
console.log(readFileSync("/proc/loadavg", "utf8").trim());
