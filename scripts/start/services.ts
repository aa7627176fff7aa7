// The three supervised services: how each is started (from source under tsx, as in every test)
// and how each is probed. The children get a clean environment: variables that would override
// their generated configs ($PORT, MCIAS_*, MCNS_*, MCPROXY_*) are removed.
import { join } from "node:path";
import { probe } from "./health.ts";
import type { Layout } from "./layout.ts";
import type { Ports } from "./ports.ts";
import type { ServiceSpec } from "./supervisor.ts";

const OVERRIDES = /^(PORT|PORT_.*|MCIAS_.*|MCNS_.*|MCPROXY_.*)$/;

export function childEnv(env: NodeJS.ProcessEnv, extra: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!OVERRIDES.test(k)) out[k] = v;
  return { ...out, ...extra, MC_SUPERVISOR_PID: String(process.pid) };
}

export function serviceSpecs(
  repoRoot: string,
  l: Layout,
  p: Ports,
  adminPassword: string | undefined,
): ServiceSpec[] {
  const spec = (
    name: string,
    entry: string,
    config: string,
    healthUrl: string,
    extra: Record<string, string> = {},
  ): ServiceSpec => ({
    name,
    command: process.execPath,
    args: ["--import", "tsx", join(repoRoot, entry), "server", "--config", config],
    cwd: repoRoot,
    env: childEnv(process.env, extra),
    healthy: () => probe(healthUrl),
  });
  return [
    spec(
      "mcias",
      "services/mcias/src/cmd/mcias.ts",
      l.mcias.config,
      `http://127.0.0.1:${p.mciasHttp}/v1/health`,
      adminPassword ? { MCIAS_BOOTSTRAP_ADMIN_PASSWORD: adminPassword } : {},
    ),
    spec(
      "mcns",
      "services/mcns/src/cmd/mcns.ts",
      l.mcns.config,
      `http://127.0.0.1:${p.mcnsHttp}/v1/health`,
    ),
    spec(
      "mc-proxy",
      "services/mc-proxy/src/cmd/mc-proxy.ts",
      l.proxy.config,
      `http://127.0.0.1:${p.proxyMetrics}/metrics`,
    ),
  ];
}
