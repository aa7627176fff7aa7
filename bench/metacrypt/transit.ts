// The transit section of the Metacrypt benchmark: single encrypts through Metacrypt's REST API
// (MCIAS token, policy evaluated for a non-admin system account, a hash-chained audit row per
// request, the barrier) side by side with a bare node:crypto AES-256-GCM HTTP server (the
// floor, floor-server.ts), and batch encrypts (1000 items per request). Same client (fetch with
// keep-alive), same plaintext, same concurrency.
import { join } from "node:path";
import { type MciasInstance, startProcess } from "@metacircular/testkit";
import { cpuSeconds } from "../lib/proc.ts";
import { closedLoop, type Sample, type Summary } from "../mcias/load.ts";

const PLAINTEXT = Buffer.alloc(64, 7).toString("base64");
const BATCH = 1000;

/** The request bodies: one encrypt, and a batch of BATCH encrypts. */
export const bodies = {
  one: { mount: "transit", operation: "encrypt", data: { name: "bench", plaintext: PLAINTEXT } },
  batch: {
    mount: "transit",
    operation: "encrypt-batch",
    data: { name: "bench", items: Array.from({ length: BATCH }, () => ({ plaintext: PLAINTEXT })) },
  },
};

interface Row {
  name: string;
  s: Summary;
  cpuMs: number;
}

export async function post(url: string, body: unknown, token?: string): Promise<Sample> {
  const t0 = performance.now();
  const r = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  await r.arrayBuffer();
  return { ms: performance.now() - t0, status: r.status };
}

async function measure(name: string, pid: number, fn: () => Promise<Sample>, conc: number) {
  const c0 = cpuSeconds(pid);
  const s = await closedLoop(fn, conc, 8, 100_000);
  const cpuMs = Math.round(((cpuSeconds(pid) - c0) / Math.max(1, s.count)) * 100_000) / 100;
  console.log(name, s, cpuMs);
  return { name, s, cpuMs };
}

/** A transit mount, key "bench", and a system account allowed to encrypt with it; its token. */
export async function prepare(
  url: string,
  adminToken: string,
  mcias: MciasInstance,
): Promise<string> {
  const admin = (path: string, method: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  await admin("/v1/mounts", "POST", { name: "transit", type: "transit" });
  await admin("/v1/engine/request", "POST", {
    mount: "transit",
    operation: "create-key",
    data: { name: "bench" },
  });
  await admin("/v1/policy/rules/bench-agent", "PUT", {
    id: "bench-agent",
    effect: "allow",
    subject: "system:bench-agent",
    mount: "transit",
    operations: ["encrypt", "encrypt-batch"],
    names: ["bench"],
  });
  await mcias.createAccount("bench-agent", { type: "system" });
  return mcias.issueSystemToken("bench-agent", "metacrypt");
}

/** Runs the transit measurements against a running metacrypt; returns the report section. */
export async function transitSection(o: {
  url: string;
  pid: number;
  adminToken: string;
  mcias: MciasInstance;
}): Promise<string> {
  const token = await prepare(o.url, o.adminToken, o.mcias);
  const floor = startProcess(join(import.meta.dirname, "floor-server.ts"));
  const floorUrl = (await floor.waitForLine(/floor listening (\S+)/, 60_000))[1]!;
  const engine = `${o.url}/v1/engine/request`;
  const { one, batch } = bodies;
  await closedLoop(() => post(engine, one, token), 4, 2, 500); // warm-up
  const rows: Row[] = [];
  rows.push(
    await measure(
      "floor: node:crypto AES-256-GCM over HTTP, 4 clients",
      floor.proc.pid!,
      () => post(floorUrl, { plaintext: PLAINTEXT }),
      4,
    ),
  );
  rows.push(
    await measure(
      "metacrypt transit encrypt (REST, auth + policy + audit), 4 clients",
      o.pid,
      () => post(engine, one, token),
      4,
    ),
  );
  const b = await measure(
    `metacrypt encrypt-batch (${BATCH} items / request), 2 clients`,
    o.pid,
    () => post(engine, batch, token),
    2,
  );
  await floor.stop();
  const [f, m] = rows as [Row, Row];
  const line = (r: Row) =>
    `| ${r.name} | ${r.s.count} | ${r.s.rps.toFixed(0)} | ${r.s.p50} | ${r.s.p99} | ${r.cpuMs} | ${Object.entries(
      r.s.statuses,
    )
      .map(([k, v]) => `${k}: ${v}`)
      .join(", ")} |`;
  const ratio = m.s.rps / f.s.rps;
  const cpuRatio = f.cpuMs / m.cpuMs;
  const itemsPerSec = (b.s.count * BATCH) / b.s.seconds;
  const itemsPerCpu = (BATCH * 1000) / b.cpuMs;
  return `## Transit

64-byte plaintexts, 8 s per row. The floor does the AES-256-GCM and the HTTP/JSON and nothing
else; Metacrypt adds the MCIAS token check (cached), the strict JSON and schema checks, the
policy decision for a system account (not an admin bypass), an audit-chain row committed before
the encryption runs (group commit: the requests decided in one event-loop turn share a SQLite
transaction) and the key from the barrier (opened once, then from its in-memory cache). A batch
is one decision and one audit row (with its item count). Where the CPU goes:
\`node --import tsx bench/metacrypt/transit-profile.ts\`.

| operation | requests | per second | p50 ms | p99 ms | server CPU ms / op | statuses |
| --- | --- | --- | --- | --- | --- | --- |
${line(f)}
${line(m)}
${line(b)}

- Single encrypts: Metacrypt ${m.s.rps.toFixed(0)}/s vs the floor ${f.s.rps.toFixed(0)}/s = **${ratio.toFixed(2)}×** (target ≥ 0.6×: ${ratio >= 0.6 ? "met" : "missed"}); per server CPU-second ${cpuRatio.toFixed(2)}× the floor.
- Batch encrypts: **${Math.round(itemsPerSec)} items/s** (target ≥ 50 000/s: ${itemsPerSec >= 50_000 ? "met" : "missed"}); ${Math.round(itemsPerCpu)} items per server CPU-second.
`;
}
