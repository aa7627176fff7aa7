// Where a transit encrypt spends the server's CPU: the bundle under --cpu-prof, single encrypts
// (4 clients) then 1000-item batches (2 clients), `seconds` each; prints the server CPU per
// request and the functions with the most self time. The .cpuprofile stays in the printed folder.
//   node --import tsx bench/metacrypt/transit-profile.ts [seconds] [--no-build] [--no-prof]
//     [--only=encrypt|encrypt-batch]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir } from "@metacircular/testkit";
import { cpuSeconds } from "../lib/proc.ts";
import { closedLoop } from "../mcias/load.ts";
import { buildBundle, startBenchMetacrypt } from "./server.ts";
import { bodies, post, prepare } from "./transit.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Self samples per function (name + file:line), largest first, as percentages. */
function topSelf(file: string, n: number): string[] {
  const p = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfileNode[]; samples: number[] };
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const counts = new Map<string, number>();
  for (const id of p.samples) {
    const f = byId.get(id)!.callFrame;
    const where = f.url ? `${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}` : "";
    const key = `${f.functionName || "(anonymous)"} ${where}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, c]) => `${((100 * c) / p.samples.length).toFixed(1).padStart(5)}%  ${k}`);
}

const seconds = Number(process.argv[2] ?? 6);
if (!process.argv.includes("--no-build")) buildBundle();
const out = makeTempDir("metacrypt-prof-");
const prof = !process.argv.includes("--no-prof");
const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const mc = await startBenchMetacrypt({
  nodeArgs: prof ? ["--cpu-prof", `--cpu-prof-dir=${out.path}`] : [],
});
const token = await prepare(mc.url, mc.adminToken, mc.mcias);
const engine = `${mc.url}/v1/engine/request`;
for (const [label, body, conc, items] of [
  ["encrypt", bodies.one, 4, 1],
  ["encrypt-batch", bodies.batch, 2, bodies.batch.data.items.length],
] as const) {
  if (only && only !== label) continue;
  await closedLoop(() => post(engine, body, token), conc, 1, 200); // warm-up
  const c0 = cpuSeconds(mc.pid);
  const s = await closedLoop(() => post(engine, body, token), conc, seconds, 1_000_000);
  const ms = ((cpuSeconds(mc.pid) - c0) * 1000) / Math.max(1, s.count);
  console.log(
    `${label}: ${s.count} requests, ${s.rps.toFixed(0)}/s, server CPU ${ms.toFixed(3)} ms/request, ${((items * 1000) / ms).toFixed(0)} items per CPU-second`,
  );
}
await mc.stop();
const file = readdirSync(out.path).find((f) => f.endsWith(".cpuprofile"));
if (file) console.log(topSelf(join(out.path, file), 45).join("\n"));
console.log(`profile in ${out.path}`);
