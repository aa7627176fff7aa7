// Metacrypt benchmark (bounded loopback load; not part of npm test).
//   node --import tsx bench/metacrypt/run.ts
// Builds and starts the deployed bundle (dist/metacrypt.mjs) with the production Argon2id cost
// against a real MCIAS, creates a CA (P-384 root, P-256 intermediate), and measures: unseal time,
// issuance with a generated key (P-256 at concurrency 1 and 4, RSA-2048 at 1), CSR signing, and
// OCSP answers; latency percentiles and the server's CPU per operation from /proc.
// Writes bench/results/metacrypt.md.

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { makeTempDir } from "@metacircular/testkit";
import { cpuSeconds } from "../lib/proc.ts";
import { closedLoop, type Sample, type Summary } from "../mcias/load.ts";
import { buildBundle, startBenchMetacrypt } from "./server.ts";
import { transitSection } from "./transit.ts";

const root = join(import.meta.dirname, "../..");

buildBundle();
const dir = makeTempDir("metacrypt-bench-data-");
const mc = await startBenchMetacrypt();
const { url, pid, call, unsealMs, mcias } = mc;
const token = mc.adminToken;
const engine = (operation: string, data: unknown) =>
  call("POST", "/v1/engine/request", { mount: "pki", operation, data });
const timed = async (fn: () => Promise<{ status: number }>): Promise<Sample> => {
  const t0 = performance.now();
  const r = await fn();
  return { ms: performance.now() - t0, status: r.status };
};

await call("POST", "/v1/mounts", { name: "pki", type: "ca" });
await engine("create-root", { common_name: "Bench Root", key_type: "ec-p384" });
await engine("create-intermediate", {
  name: "services",
  common_name: "Bench Services",
  key_type: "ec-p256",
});
await engine("set-profile", {
  name: "svc",
  issuer: "services",
  allowed_names: ["*.svc.mcp.metacircular.net"],
  max_ttl_days: 90,
});

const csrPath = join(dir.path, "req.csr");
execFileSync(
  "openssl",
  [
    "req",
    "-new",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    join(dir.path, "k.pem"),
    "-subj",
    "/CN=csr.svc.mcp.metacircular.net",
    "-out",
    csrPath,
  ],
  { stdio: "ignore" },
);
const csr = readFileSync(csrPath, "utf8");
const leaf = await engine("issue", {
  profile: "svc",
  common_name: "ocsp.svc.mcp.metacircular.net",
});
const leafPem = join(dir.path, "leaf.pem");
const interPem = join(dir.path, "inter.pem");
writeFileSync(leafPem, leaf.json.certificate);
writeFileSync(interPem, leaf.json.chain[0]);
const ocspReq = join(dir.path, "ocsp.der");
execFileSync(
  "openssl",
  ["ocsp", "-issuer", interPem, "-cert", leafPem, "-no_nonce", "-reqout", ocspReq],
  { stdio: "ignore" },
);
const ocspBody = readFileSync(ocspReq);

interface Row {
  name: string;
  s: Summary;
  cpuMs: number;
}
const rows: Row[] = [];
async function measure(
  name: string,
  fn: (i: number) => Promise<Sample>,
  concurrency: number,
  seconds: number,
  max: number,
) {
  const c0 = cpuSeconds(pid);
  const s = await closedLoop(fn, concurrency, seconds, max);
  rows.push({
    name,
    s,
    cpuMs: Math.round(((cpuSeconds(pid) - c0) / Math.max(1, s.count)) * 10_000) / 10,
  });
  console.log(name, s, rows.at(-1)!.cpuMs);
}

await measure(
  "issue, generated P-256 key, 1 client",
  (i) =>
    timed(() => engine("issue", { profile: "svc", common_name: `a${i}.svc.mcp.metacircular.net` })),
  1,
  10,
  400,
);
await measure(
  "issue, generated P-256 key, 4 clients",
  (i) =>
    timed(() => engine("issue", { profile: "svc", common_name: `b${i}.svc.mcp.metacircular.net` })),
  4,
  10,
  800,
);
await measure(
  "issue, generated RSA-2048 key, 1 client",
  (i) =>
    timed(() =>
      engine("issue", {
        profile: "svc",
        common_name: `r${i}.svc.mcp.metacircular.net`,
        key_type: "rsa-2048",
      }),
    ),
  1,
  10,
  60,
);
await measure(
  "sign-csr (P-256 CSR), 1 client",
  () => timed(() => engine("sign-csr", { profile: "svc", csr })),
  1,
  10,
  400,
);
await measure(
  "OCSP (POST, 1 serial), 4 clients",
  () =>
    timed(() =>
      fetch(`${url}/v1/ca/pki/ocsp`, {
        method: "POST",
        headers: { "Content-Type": "application/ocsp-request" },
        body: new Uint8Array(ocspBody),
      }).then(async (r) => {
        await r.arrayBuffer();
        return r;
      }),
    ),
  4,
  8,
  2000,
);
const inventory = (await engine("list-certs", { limit: 10_000 })).json.certificates
  .length as number;
const transit = await transitSection({ url, pid, adminToken: token, mcias });

await mc.stop();
dir.remove();

const table = rows.map(
  (r) =>
    `| ${r.name} | ${r.s.count} | ${r.s.rps.toFixed(1)} | ${r.s.p50} | ${r.s.p99} | ${r.cpuMs} | ${Object.entries(
      r.s.statuses,
    )
      .map(([k, v]) => `${k}: ${v}`)
      .join(", ")} |`,
);
const report = `# Metacrypt benchmark

\`node --import tsx bench/metacrypt/run.ts\` — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (shared; load average ${loadavg()[0]!.toFixed(2)} at the end), Node ${process.version}.
The deployed bundle (\`dist/metacrypt.mjs\`, plain node) with the production Argon2id cost
(\`[seal]\` defaults: 64 MiB, 3 passes, parallelism 4), tokens validated by a real MCIAS (cached
after the first call), a CA with a P-384 root and a P-256 intermediate that signs every leaf.
Each issuance is authenticated, decided by policy (admin bypass), appended to the audit chain,
signed, and committed to the inventory before the answer. Targets from issue #15.

Unseal (Argon2id + unwrapping the master key): ${unsealMs} ms.

| operation | requests | per second | p50 ms | p99 ms | server CPU ms / op | statuses |
| --- | --- | --- | --- | --- | --- | --- |
${table.join("\n")}

Inventory at the end: ${inventory} certificates. CPU is the server's utime + stime from /proc
divided by the requests; on this shared machine it is the fairer figure. Issuance target
(issue #15): p50 ≤ 10 ms for one client.

${transit}`;
writeFileSync(join(root, "bench/results/metacrypt.md"), report);
console.log(report);
