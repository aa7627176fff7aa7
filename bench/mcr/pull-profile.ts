// Where pull CPU goes, MCR beside docker-registry: one fresh 200 MiB image pushed to each with
// skopeo, then pulled 3 times from each; server user/system seconds per pull, and MCR's
// .cpuprofile (with --prof) in the printed folder.
//   npm run build -w services/mcr && node --import tsx bench/mcr/pull-profile.ts [--prof]
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { clientEnv, skopeoCopy } from "@metacircular/mcr/testing/clients";
import { startDockerRegistry } from "@metacircular/mcr/testing/docker-registry";
import { makeTempDir, startMcias } from "@metacircular/testkit";
import { cpuTimes } from "../lib/proc.ts";
import { startBenchMcr } from "./server.ts";
import { freshLayout } from "./skopeo-push.ts";

const prof = process.argv.includes("--prof");
const tmp = makeTempDir("mcr-pull-prof-");
const mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
const mcr = await startBenchMcr(mcias, prof ? ["--cpu-prof", `--cpu-prof-dir=${tmp.path}`] : []);
const anchor = await startDockerRegistry(mcias);
const creds = `${mcias.adminUsername}:${mcias.adminPassword}`;
for (const [name, s] of [
  ["mcr", mcr],
  ["docker-registry", anchor],
] as const) {
  const certDir = tmp.join(`${name}-certs`);
  mkdirSync(certDir, { recursive: true });
  writeFileSync(join(certDir, "ca.crt"), s.ca);
  const env = clientEnv(tmp.join(`${name}-client`), certDir);
  const ref = `docker://${new URL(s.url).host}/bench/pull:t`;
  const layout = freshLayout(tmp.path);
  const r = await skopeoCopy(env, `oci:${layout}:t`, ref, creds);
  if (r.code !== 0) throw new Error(r.stderr);
  rmSync(layout, { recursive: true, force: true });
  for (let i = 0; i < 3; i++) {
    const out = tmp.join(`out-${name}-${i}`);
    const t0 = cpuTimes(s.pid);
    const w0 = performance.now();
    const p = await skopeoCopy(env, ref, `oci:${out}:t`, creds);
    if (p.code !== 0) throw new Error(p.stderr);
    const t1 = cpuTimes(s.pid);
    const user = (t1.user - t0.user).toFixed(2);
    const sys = (t1.system - t0.system).toFixed(2);
    const wall = ((performance.now() - w0) / 1000).toFixed(2);
    console.log(`${name} pull ${i}: wall ${wall} s, server user ${user} s, system ${sys} s`);
    rmSync(out, { recursive: true, force: true });
  }
}
await anchor.stop();
await mcr.proc.stop();
await mcias.stop();
if (prof) console.log(`profile in ${tmp.path}`);
else tmp.remove();
