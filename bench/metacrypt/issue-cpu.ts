// In-process CPU per certificate issuance (the CA domain only: profile, issuer, key generation,
// signing, the sealed inventory write), no HTTP, no policy, no audit. Bounded: N issuances per key
// type (MC_BENCH_N, default 200). Prints process CPU ms per issuance and the p50 wall time.
// Run: node --import tsx bench/metacrypt/issue-cpu.ts
import { openDatabase } from "@metacircular/mcdsl/db";
import { Barrier } from "@metacircular/metacrypt/barrier";
import { createIssuer, issueWithKey, migrations, putProfile } from "@metacircular/metacrypt/ca";

const N = Number(process.env.MC_BENCH_N ?? 200);

async function caStore() {
  const db = openDatabase(":memory:", { migrations });
  const barrier = new Barrier(db, { memory_kib: 256, time_cost: 1, parallelism: 1 });
  await barrier.initialize({ kind: "password", password: "bench password" });
  await barrier.unseal({ kind: "password", password: "bench password" });
  barrier.createMountKey("pki");
  const store = barrier.mountStore("pki");
  await createIssuer(store, { name: "root", key_type: "ec-p384", common_name: "R", ttl_days: 90 });
  putProfile(store, {
    name: "svc",
    issuer: "root",
    allowed_names: ["*.svc.example.net"],
    allow_wildcards: false,
    allow_ip_sans: false,
    max_ttl_days: 30,
    key_usages: ["digitalSignature"],
    ext_key_usages: ["serverAuth"],
  });
  return store;
}

const store = await caStore();
for (const key_type of ["ec-p256", "ed25519"] as const) {
  const one = () =>
    issueWithKey(store, "bench", {
      profile: "svc",
      common_name: "a.svc.example.net",
      dns_names: [],
      ip_addresses: [],
      key_type,
    });
  for (let i = 0; i < 20; i++) await one();
  const walls: number[] = [];
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await one();
    walls.push(performance.now() - t0);
  }
  const c = process.cpuUsage(c0);
  walls.sort((a, b) => a - b);
  const cpu = (c.user + c.system) / 1000 / N;
  console.log(
    `${key_type}: ${N} issuances, CPU ${cpu.toFixed(2)} ms each, wall p50 ${walls[Math.floor(N / 2)]!.toFixed(2)} ms`,
  );
}
