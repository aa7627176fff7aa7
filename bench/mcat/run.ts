// MCAT's figures: decision-trace latency through the real MCIAS (REST, the admin's token, 500
// sequential calls against a 50-rule policy) and the cost of a dry run's replay of 10,000
// recorded login contexts against a 50-rule candidate (MCIAS's one engine, in process).
// Run: node --import tsx bench/mcat/run.ts  (prints a markdown table)
import { performance } from "node:perf_hooks";
import type { PolicyRule } from "@metacircular/mcias/policy-engine";
import { type RecordedLogin, replay } from "@metacircular/mcias/policy-replay";
import { rng, startMcias } from "@metacircular/testkit";

const SERVICES = ["mcq", "mcr", "mcns", "metacrypt", "mc-proxy", "mcat"];
const TAGS = ["env:prod", "env:dev", "team:a", "team:b"];
const ROLES = ["admin", "user", "guest"] as const;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

function rules(r: ReturnType<typeof rng>, n: number): PolicyRule[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    priority: 10 + i,
    effect: r.int(2) ? "allow" : "deny",
    roles: r.int(2) ? [ROLES[r.int(3)]!] : [],
    accountTypes: [],
    serviceNames: r.int(2) ? [SERVICES[r.int(SERVICES.length)]!] : [],
    tags: r.int(3) ? [] : [TAGS[r.int(TAGS.length)]!],
    description: "",
  }));
}

async function traceLatency(): Promise<number[]> {
  const m = await startMcias();
  try {
    const r = rng(7);
    for (const rule of rules(r, 50)) {
      const { id: _i, accountTypes: _a, serviceNames, ...rest } = rule;
      await m.api("POST", "/v1/policies", { ...rest, service_names: serviceNames });
    }
    const ms: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t0 = performance.now();
      const res = await m.api("POST", "/v1/policy/trace", {
        username: m.adminUsername,
        service_name: SERVICES[i % SERVICES.length],
        tags: [TAGS[i % TAGS.length]],
      });
      await res.arrayBuffer();
      ms.push(performance.now() - t0);
    }
    return ms;
  } finally {
    await m.stop();
  }
}

function replayCost(): number[] {
  const r = rng(11);
  const candidate = rules(r, 50);
  const logins: RecordedLogin[] = Array.from({ length: 10_000 }, (_, i) => ({
    seq: i,
    ts: i,
    username: `u${i % 300}`,
    ctx: {
      roles: [ROLES[r.int(3)]!],
      accountType: "human",
      serviceName: SERVICES[r.int(SERVICES.length)]!,
      tags: r.int(2) ? [TAGS[r.int(TAGS.length)]!] : [],
    },
    decision: { effect: r.int(2) ? "allow" : "deny", ruleId: null },
  }));
  const ms: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    replay(logins, candidate, "deny");
    ms.push(performance.now() - t0);
  }
  return ms;
}

const trace = await traceLatency();
const rep = replayCost();
const f = (x: number) => x.toFixed(2);
console.log("| measurement | p50 ms | p99 / max ms |");
console.log("| --- | --- | --- |");
console.log(
  `| trace over REST, 50 rules (500 calls) | ${f(pct(trace, 50))} | ${f(pct(trace, 99))} |`,
);
console.log(
  `| replay of 10,000 contexts, 50-rule candidate (20 runs) | ${f(pct(rep, 50))} | ${f(Math.max(...rep))} |`,
);
