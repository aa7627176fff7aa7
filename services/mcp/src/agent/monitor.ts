// The monitor: desired state (the registry) against actual (podman). Drift is a component whose
// container is missing, not running, runs another spec (image or settings changed behind the
// agent's back) or publishes other ports. Each pass records drift as events and, when the policy
// says so, restores the service by redeploying its recorded definition (same ports, routes,
// name). A service restored `flapMax` times within the window is marked flapping and left alone
// until an operator deploys or starts it again. Each pass also renews the Metacrypt certificates
// that are due (renew.ts).

import { deploy } from "./deploy.ts";
import type { AgentDeps } from "./deps.ts";
import { LABEL_SERVICE, LABEL_SPEC } from "./plan.ts";
import { type Renewal, renewCertificates } from "./renew.ts";

export type DriftKind = "missing" | "exited" | "spec" | "ports";

export interface Drift {
  service: string;
  component: string;
  container: string;
  kind: DriftKind;
  detail: string;
}

export interface MonitorPolicy {
  restore: boolean;
  flapWindowMs: number;
  flapMax: number;
}

export interface PassResult {
  drift: Drift[];
  restored: string[];
  flapping: string[];
  failed: Array<{ service: string; error: string }>;
  /** Certificates renewed (or whose renewal failed) in this pass. */
  renewed: Renewal[];
}

export async function findDrift(d: AgentDeps): Promise<Drift[]> {
  const live = new Map((await d.podman.listContainers(LABEL_SERVICE)).map((c) => [c.name, c]));
  const out: Drift[] = [];
  for (const s of d.registry.listServices()) {
    if (s.desired !== "running" || !s.active) continue;
    const routes = d.registry.routes(s.name);
    for (const comp of d.registry.components(s.name)) {
      const at = { service: s.name, component: comp.name, container: comp.container };
      const c = live.get(comp.container);
      const want = routes
        .filter((r) => r.component === comp.name)
        .map((r) => r.hostPort)
        .sort();
      const have = (c?.ports ?? []).map((p) => p.hostPort).sort();
      if (!c) out.push({ ...at, kind: "missing", detail: "no container" });
      else if (c.state !== "running")
        out.push({ ...at, kind: "exited", detail: `${c.state} (exit ${c.exitCode})` });
      else if (c.labels[LABEL_SPEC] !== comp.specHash)
        out.push({ ...at, kind: "spec", detail: `runs ${c.image}` });
      else if (want.join(",") !== have.join(","))
        out.push({
          ...at,
          kind: "ports",
          detail: `ports ${have.join(",")}, want ${want.join(",")}`,
        });
    }
  }
  return out;
}

export async function monitorPass(
  d: AgentDeps,
  policy: MonitorPolicy,
  now = Date.now(),
): Promise<PassResult> {
  const drift = await findDrift(d);
  const result: PassResult = { drift, restored: [], flapping: [], failed: [], renewed: [] };
  for (const name of [...new Set(drift.map((x) => x.service))]) {
    const text = drift
      .filter((x) => x.service === name)
      .map((x) => `${x.container}: ${x.kind}, ${x.detail}`);
    d.registry.event(name, "drift", text.join("; "));
    const svc = d.registry.getService(name);
    if (!policy.restore || !svc || svc.health === "flapping") continue;
    const since = new Date(now - policy.flapWindowMs).toISOString();
    if (d.registry.countEvents(name, "restored", since) >= policy.flapMax) {
      d.registry.setHealth(name, "flapping");
      d.registry.event(
        name,
        "flapping",
        `restored ${policy.flapMax} times in ${policy.flapWindowMs / 1000} s: no longer restored`,
      );
      result.flapping.push(name);
      continue;
    }
    try {
      await deploy(d, svc.definition, "monitor", "restore");
      d.registry.event(name, "restored", text.join("; "));
      result.restored.push(name);
    } catch (e) {
      result.failed.push({ service: name, error: (e as Error).message });
    }
  }
  result.renewed = await renewCertificates(d, now);
  if (result.renewed.length) d.logger.info({ renewed: result.renewed }, "certificates renewed");
  if (drift.length)
    d.logger.warn({ drift, restored: result.restored, flapping: result.flapping }, "drift");
  return result;
}
