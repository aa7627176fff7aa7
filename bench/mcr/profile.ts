// Where MCR's push CPU goes: the bundle under --cpu-prof, 200 MiB pushed by streamed PATCH,
// server CPU seconds reported; the .cpuprofile lands in the printed folder (open it in Chrome
// DevTools, or read the top self-time functions printed here).
//   npm run build -w services/mcr && node --import tsx bench/mcr/profile.ts [--no-prof] [--skopeo]
// (--skopeo: the pushes are skopeo copies of a fresh 4 x 50 MiB image instead of one blob)
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir, startMcias } from "@metacircular/testkit";
import { cpuSeconds, cpuTimes } from "../lib/proc.ts";
import { Pusher, startBenchMcr } from "./server.ts";

const MIB = 1024 * 1024;
const prof = !process.argv.includes("--no-prof");
const out = makeTempDir("mcr-prof-");
const mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
const mcr = await startBenchMcr(mcias, prof ? ["--cpu-prof", `--cpu-prof-dir=${out.path}`] : []);
const p = new Pusher(mcr.url, mcr.ca);
const data = randomBytes(MIB);
const token = await p.token(
  mcias.adminUsername,
  mcias.adminPassword,
  "repository:bench/prof:pull,push",
);
await p.pushBlob(token, "bench/prof", data, 8 * MIB); // warm-up
const rounds = 3;
const before = cpuSeconds(mcr.pid);
const split0 = cpuTimes(mcr.pid);
if (process.argv.includes("--skopeo")) {
  const { skopeoPush } = await import("./skopeo-push.ts");
  for (let i = 0; i < rounds; i++)
    await skopeoPush(mcr, `${mcias.adminUsername}:${mcias.adminPassword}`, out.path, i);
} else for (let i = 0; i < rounds; i++) await p.pushBlob(token, "bench/prof", data, 200 * MIB);
const perPush = (cpuSeconds(mcr.pid) - before) / rounds;
const split1 = cpuTimes(mcr.pid);
const per = (a: number, b: number) => ((b - a) / rounds).toFixed(2);
console.log(
  `server CPU per 200 MiB pushed: ${perPush.toFixed(2)} s (mean of ${rounds}; user ${per(split0.user, split1.user)} s, system ${per(split0.system, split1.system)} s)`,
);
p.close();
await mcr.stop();
await mcias.stop();
if (prof) {
  const file = readdirSync(out.path).find((f) => f.endsWith(".cpuprofile"));
  if (file) {
    const profile = JSON.parse(readFileSync(join(out.path, file), "utf8")) as {
      nodes: Array<{
        id: number;
        callFrame: { functionName: string; url: string; lineNumber: number };
      }>;
      samples: number[];
    };
    const self = new Map<number, number>();
    for (const s of profile.samples) self.set(s, (self.get(s) ?? 0) + 1);
    const byName = new Map<string, number>();
    for (const n of profile.nodes) {
      const f = n.callFrame;
      const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber}`;
      byName.set(key, (byName.get(key) ?? 0) + (self.get(n.id) ?? 0));
    }
    const total = profile.samples.length;
    for (const [k, v] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
    console.log(`profile: ${join(out.path, file)}`);
  }
}
