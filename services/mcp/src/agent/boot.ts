// Boot sequencing: after podman lost its state, or the node rebooted, every service that should
// run is deployed again from the registry on the ports it had, stage by stage as [[boot.sequence]]
// lists them (foundation → core → management → services, say). A stage's services start side
// by side (a few at a time); each deploy waits until its containers are healthy, so a stage is
// healthy before the next one starts. Services no stage names form a last stage, core tier
// first. A service that fails is reported and does not hold back the stages after it.
import type { ServiceRow } from "../db/registry.ts";
import { deploy } from "./deploy.ts";
import type { AgentDeps, BootStage } from "./deps.ts";
import { findDrift } from "./monitor.ts";

export interface Recovered {
  service: string;
  stage: string;
  /** Empty when the service is back. */
  error: string;
}

/** Deploys of one stage that run at once. */
const PARALLEL = 4;

/** The stages with the registry's services that should run, in order; unnamed ones last. */
export function stagesOf(
  services: ServiceRow[],
  sequence: BootStage[],
): Array<{ name: string; services: ServiceRow[] }> {
  const wanted = services.filter((s) => s.desired === "running" && s.active);
  const byName = new Map(wanted.map((s) => [s.name, s]));
  const staged = new Set(sequence.flatMap((st) => st.services));
  const out = sequence.map((st) => ({
    name: st.name,
    services: st.services.flatMap((n) => byName.get(n) ?? []),
  }));
  const rank = (t: string) => (t === "core" ? 0 : 1);
  const rest = wanted
    .filter((s) => !staged.has(s.name))
    .sort((a, b) => rank(a.tier) - rank(b.tier) || a.name.localeCompare(b.name));
  if (rest.length) out.push({ name: sequence.length ? "rest" : "all", services: rest });
  return out.filter((st) => st.services.length > 0);
}

async function runStage(d: AgentDeps, stage: string, services: ServiceRow[]) {
  const out: Recovered[] = [];
  const queue = [...services];
  const worker = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      try {
        await deploy(d, s.definition, "recover", "recover");
        d.registry.event(s.name, "recovered", `boot stage ${stage}`);
        out.push({ service: s.name, stage, error: "" });
      } catch (e) {
        out.push({ service: s.name, stage, error: (e as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, services.length) }, worker));
  return out.sort((a, b) => a.service.localeCompare(b.service));
}

export async function recoverAll(d: AgentDeps): Promise<Recovered[]> {
  const out: Recovered[] = [];
  for (const st of stagesOf(d.registry.listServices(), d.bootSequence ?? [])) {
    d.logger.info({ stage: st.name, services: st.services.map((s) => s.name) }, "boot stage");
    out.push(...(await runStage(d, st.name, st.services)));
  }
  return out;
}

/** At start-up: recover when a service that should run has a container missing or stopped. */
export async function bootRecover(d: AgentDeps): Promise<Recovered[]> {
  const drift = await findDrift(d);
  if (!drift.some((x) => x.kind === "missing" || x.kind === "exited")) return [];
  d.logger.info({ services: [...new Set(drift.map((x) => x.service))] }, "recovering at start-up");
  return recoverAll(d);
}
