// How a descriptor becomes a supervised child: `node --import tsx <entry> ...args` from the
// checkout (as in every test), probed by the descriptor. The children get a clean environment:
// variables that would override their generated configs ($PORT, $PORT_*, and every service's
// own prefix such as MCIAS_*) are removed.
import { join } from "node:path";
import type { PlatformContext, ServiceDescriptor } from "./descriptor.ts";
import type { ServiceSpec } from "./supervisor.ts";

function overrides(services: readonly ServiceDescriptor[]): RegExp {
  const prefixes = services.flatMap((s) => s.envPrefixes).map((p) => `${p}.*`);
  return new RegExp(`^(PORT|PORT_.*${prefixes.map((p) => `|${p}`).join("")})$`);
}

export function childEnv(
  env: NodeJS.ProcessEnv,
  extra: Record<string, string>,
  services: readonly ServiceDescriptor[],
): NodeJS.ProcessEnv {
  const drop = overrides(services);
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!drop.test(k)) out[k] = v;
  return { ...out, ...extra, MC_SUPERVISOR_PID: String(process.pid) };
}

export function serviceSpec(
  d: ServiceDescriptor,
  c: PlatformContext,
  services: readonly ServiceDescriptor[],
): ServiceSpec {
  const l = d.launch(c);
  return {
    name: d.name,
    command: process.execPath,
    args: ["--import", "tsx", join(c.repoRoot, l.entry), ...l.args],
    cwd: c.repoRoot,
    env: childEnv(process.env, l.env ?? {}, services),
    healthy: () => d.healthy(c),
  };
}
