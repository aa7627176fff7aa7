// MCR benchmark (bounded loopback load; not part of npm test).
//   npm run build -w services/mcr && node --import tsx bench/mcr/run.ts
// The deployed bundle over TLS against a real MCIAS, beside docker-registry (test/helpers/docker-registry.ts), interleaved.
// Measures, with real skopeo: push and pull
// MiB/s of a 200 MiB image of fresh random layers (4 x 50 MiB, new every round, so nothing is
// mounted or skipped) and the server's CPU seconds per 200 MiB pushed; token requests against
// 1,000 policy rules (latency percentiles); peak RSS during 4 parallel 200 MiB pushes; the
// distribution-spec checks against both (spec-table.ts). Writes bench/results/mcr.md, ending
// with bench/mcr/notes.md (how to read the figures).
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { decide, type Rule, sortRules } from "@metacircular/mcr/policy";
import { type ClientEnv, clientEnv, skopeoCopy } from "@metacircular/mcr/testing/clients";
import { registryVersion, startDockerRegistry } from "@metacircular/mcr/testing/docker-registry";
import { makeTempDir, startMcias } from "@metacircular/testkit";
import { cpuSeconds, memoryOf } from "../lib/proc.ts";
import { Pusher, startBenchMcr } from "./server.ts";
import { freshLayout } from "./skopeo-push.ts";
import { specTable } from "./spec-table.ts";

const MIB = 1024 * 1024;
const loadAtStart = loadavg()[0]!;

/** The policy decision alone (what each token scope costs), 1,000 rules, in this process. */
function decisionPercentiles(): { p50: number; p99: number } {
  const rules: Rule[] = Array.from({ length: 1000 }, (_, i) => ({
    id: i + 1,
    priority: i,
    repository: i === 999 ? "team/**" : `other${i}/*/x-*`,
    subject: i === 999 ? { kind: "role", name: "user" } : { kind: "user", name: `u${i}` },
    actions: ["pull", "push"],
    effect: "allow",
  }));
  const sorted = sortRules(rules);
  const who = { username: "alice", accountType: "human" as const, roles: ["user"] };
  const t: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const t0 = performance.now();
    decide(sorted, who, `team/app${i % 50}`, "push");
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { p50: t[2500]!, p99: t[4950]! };
}

const ROUNDS = 5;
const root = join(import.meta.dirname, "../..");
const tmp = makeTempDir("mcr-bench-run-");
const mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
await mcias.createAccount("alice", { roles: ["user"], password: "alice-password-123" });
const mcr = await startBenchMcr(mcias);
const anchor = await startDockerRegistry(mcias);
const creds = `${mcias.adminUsername}:${mcias.adminPassword}`;

async function timed(f: () => Promise<{ code: number; stderr: string }>): Promise<number> {
  const t0 = performance.now();
  const r = await f();
  if (r.code !== 0) throw new Error(r.stderr);
  return (performance.now() - t0) / 1000;
}

interface Target {
  name: string;
  pid: number;
  host: string;
  env: ClientEnv;
  push: number[];
  pull: number[];
  cpu: number[];
  pullCpu: number[];
}

function target(name: string, server: { url: string; ca: string; pid: number }): Target {
  const certDir = tmp.join(`${name}-certs`);
  mkdirSync(certDir, { recursive: true });
  writeFileSync(join(certDir, "ca.crt"), server.ca);
  const env = clientEnv(tmp.join(`${name}-client`), certDir);
  const host = new URL(server.url).host;
  return { name, pid: server.pid, host, env, push: [], pull: [], cpu: [], pullCpu: [] };
}

/** One round against one registry: push a fresh image (server CPU measured), pull it back. */
async function round(t: Target, i: number): Promise<void> {
  const layout = freshLayout(tmp.path);
  const ref = `docker://${t.host}/bench/img:r${i}`;
  const before = cpuSeconds(t.pid);
  t.push.push(await timed(() => skopeoCopy(t.env, `oci:${layout}:t`, ref, creds)));
  t.cpu.push(cpuSeconds(t.pid) - before);
  rmSync(layout, { recursive: true, force: true });
  const out = tmp.join(`pulled-${t.name}-${i}`);
  const beforePull = cpuSeconds(t.pid);
  t.pull.push(await timed(() => skopeoCopy(t.env, ref, `oci:${out}:t`, creds)));
  t.pullCpu.push(cpuSeconds(t.pid) - beforePull);
  rmSync(out, { recursive: true, force: true });
}

const ours = target("mcr", mcr);
const theirs = target("docker-registry", anchor);
// One untimed round each first: Node's JIT (and Go's page cache alike) warm up on it.
for (const t of [ours, theirs]) {
  await round(t, ROUNDS);
  for (const xs of [t.push, t.pull, t.cpu, t.pullCpu]) xs.length = 0;
}
for (let i = 0; i < ROUNDS; i++) {
  // Interleaved, alternating who goes first, so drift in the machine's load hits both alike.
  for (const t of i % 2 === 0 ? [ours, theirs] : [theirs, ours]) await round(t, i);
}
const spec = await specTable(mcr, anchor, mcias.adminUsername, mcias.adminPassword);
await anchor.stop();

// Token decisions against 1,000 rules (the matching one last in priority order).
const login = await fetch(`${mcias.url}/v1/auth/login`, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({
    username: mcias.adminUsername,
    password: mcias.adminPassword,
    service_name: "mcr",
  }),
});
const adminToken = ((await login.json()) as { token: string }).token;
const p = new Pusher(mcr.url, mcr.ca);
for (let i = 0; i < 999; i++)
  await p.call(
    "POST",
    "/v1/policies",
    { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
    async (w) => {
      w.write(
        JSON.stringify({
          priority: i,
          repository: `other${i}/**`,
          subject_kind: "user",
          subject: `u${i}`,
          actions: ["pull"],
          effect: "allow",
        }),
      );
    },
  );
await p.call(
  "POST",
  "/v1/policies",
  { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
  async (w) => {
    w.write(
      JSON.stringify({
        priority: 5000,
        repository: "team/**",
        subject_kind: "role",
        subject: "user",
        actions: ["pull", "push"],
        effect: "allow",
      }),
    );
  },
);
await p.token("alice", "alice-password-123", "repository:team/app:pull,push"); // login cached
const lat: number[] = [];
for (let i = 0; i < 300; i++) {
  const t0 = performance.now();
  await p.token("alice", "alice-password-123", `repository:team/app${i % 10}:pull,push`);
  lat.push(performance.now() - t0);
}
lat.sort((a, b) => a - b);
const pct = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))]!;

// Peak RSS during 4 parallel 200 MiB pushes.
const data = randomBytes(MIB);
const tok = await p.token(
  mcias.adminUsername,
  mcias.adminPassword,
  "repository:bench/par:pull,push",
);
let peak = memoryOf(mcr.pid).rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, memoryOf(mcr.pid).rss);
}, 50);
const before4 = cpuSeconds(mcr.pid);
const t4 = performance.now();
await Promise.all(Array.from({ length: 4 }, () => p.pushBlob(tok, "bench/par", data, 200 * MIB)));
const par = { secs: (performance.now() - t4) / 1000, cpu: cpuSeconds(mcr.pid) - before4 };
clearInterval(sampler);
p.close();
await mcr.stop();
await mcias.stop();
tmp.remove();

const dec = decisionPercentiles();
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const rate = (secs: number[]) => 200 / mean(secs);
const list = (xs: number[], d = 1) => xs.map((x) => x.toFixed(d)).join(", ");
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const lines = [
  "# MCR benchmark",
  "",
  `Run: ${new Date().toISOString().slice(0, 16)} UTC, ${cpus().length} cores (${cpus()[0]?.model.trim()}), load average ${loadAtStart.toFixed(2)} at the start and ${loadavg()[0]!.toFixed(2)} at the end. Bundle \`dist/mcr.mjs\` over TLS 1.3 against a real MCIAS, beside Debian's \`docker-registry\` (distribution ${registryVersion()}) over TLS behind an equivalent token server (\`services/mcr/test/helpers/docker-registry.ts\`: the same MCIAS password check, an ES256 token); \`node --import tsx bench/mcr/run.ts\`.`,
  "",
  `Push and pull with skopeo of a 200 MiB image of fresh random layers (4 x 50 MiB, new every round), ${ROUNDS} interleaved rounds after one untimed warm-up round each:`,
  "",
  "| measure | MCR | docker-registry | MCR / docker-registry | target |",
  "| --- | --- | --- | --- | --- |",
  `| push MiB/s (seconds per round) | ${rate(ours.push).toFixed(1)} (${list(ours.push)}) | ${rate(theirs.push).toFixed(1)} (${list(theirs.push)}) | ${ratio(rate(ours.push), rate(theirs.push))} | >= 1.0x |`,
  `| pull MiB/s (seconds per round) | ${rate(ours.pull).toFixed(1)} (${list(ours.pull)}) | ${rate(theirs.pull).toFixed(1)} (${list(theirs.pull)}) | ${ratio(rate(ours.pull), rate(theirs.pull))} | >= 1.0x |`,
  `| server CPU s per 200 MiB pushed | ${mean(ours.cpu).toFixed(2)} (${list(ours.cpu, 2)}) | ${mean(theirs.cpu).toFixed(2)} (${list(theirs.cpu, 2)}) | ${ratio(mean(ours.cpu), mean(theirs.cpu))} | MCR <= 1.5 s |`,
  `| server CPU s per 200 MiB pulled | ${mean(ours.pullCpu).toFixed(2)} (${list(ours.pullCpu, 2)}) | ${mean(theirs.pullCpu).toFixed(2)} (${list(theirs.pullCpu, 2)}) | ${ratio(mean(ours.pullCpu), mean(theirs.pullCpu))} | |`,
  "",
  "MCR alone:",
  "",
  "| measure | result | target |",
  "| --- | --- | --- |",
  `| token request against 1,000 rules, 300 sequential (login cached) | p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms | p99 < 20 ms |`,
  `| policy decision alone, 1,000 rules (matching rule last), 5,000 decisions in-process | p50 ${(dec.p50 * 1000).toFixed(0)} µs, p99 ${(dec.p99 * 1000).toFixed(0)} µs | |`,
  `| peak RSS during 4 parallel 200 MiB pushes | ${peak.toFixed(0)} MB (${par.secs.toFixed(1)} s, server CPU ${(par.cpu / 4).toFixed(2)} s per 200 MiB) | < 200 MB |`,
  "",
  ...spec,
  "",
  readFileSync(join(import.meta.dirname, "notes.md"), "utf8").trimEnd(),
];
writeFileSync(join(root, "bench/results/mcr.md"), `${lines.join("\n")}\n`);
console.log(lines.join("\n"));
