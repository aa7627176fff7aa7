// Deploy, in order: host ports → plan (rollout.ts: which components are kept, replaced or rolled)
// → certificates (certs.ts) → images → containers (health-checked) → proxy routes → DNS → drain
// of the versions rolled away from → registry. Idempotent (the same definition twice changes
// nothing and keeps every port); a failed step undoes what this deploy did and names the step,
// so a new version that never gets healthy leaves the old one serving.
import { AppError } from "@metacircular/mcdsl/errors";
import type { CertRow, DeployKind, DnsRow, RouteRow } from "../db/registry.ts";
import type { ServiceDef } from "../servicedef/schema.ts";
import { certificatesFor, removeCertFiles } from "./certs.ts";
import {
  asideName,
  type EnsureOutcome,
  ensureContainer,
  putBack,
  startBeside,
  waitReady,
} from "./containers.ts";
import type { AgentDeps } from "./deps.ts";
import { LABEL_SERVICE, type Plan } from "./plan.ts";
import { allocatePorts } from "./ports.ts";
import { planRollout, type Rollout } from "./rollout.ts";
import { Steps } from "./steps.ts";

export interface DeployResult {
  service: string;
  containers: Array<{ name: string; outcome: EnsureOutcome }>;
  routes: RouteRow[];
}

async function images(d: AgentDeps, def: ServiceDef): Promise<void> {
  for (const image of new Set(def.components.map((c) => c.image))) {
    if (d.images.pull) {
      await d.podman.pullImage(image, {
        tlsVerify: d.images.tlsVerify,
        ...(d.images.auth ? { auth: d.images.auth } : {}),
      });
    } else if (!(await d.podman.inspectImage(image))) {
      throw new AppError(409, "image_missing", `${image} is not on this node and pulling is off`);
    }
  }
}

async function containers(d: AgentDeps, r: Rollout, steps: Steps) {
  return steps.run("containers", async (undo) => {
    const out: DeployResult["containers"] = [];
    for (const c of r.plan.components) {
      const name = c.spec.name;
      let outcome: EnsureOutcome;
      if (r.actions.get(c.def.name) === "roll") {
        await startBeside(d.podman, c);
        undo(() => putBack(d.podman, name));
        outcome = "rolled";
      } else {
        outcome = await ensureContainer(d.podman, c);
        if (outcome === "created") undo(() => d.podman.removeContainer(name));
      }
      out.push({ name, outcome });
    }
    for (const c of r.plan.components) await waitReady(d.podman, c, d.readyTimeoutMs);
    return out;
  });
}

/**
 * The versions a redeploy moved away from: after `drainMs` (requests they were serving finish)
 * stopped and removed. A failure here is reported as an event, never undoes the deploy.
 */
async function drain(d: AgentDeps, svc: string, made: DeployResult["containers"]) {
  const rolled = made.filter((c) => c.outcome === "rolled").map((c) => asideName(c.name));
  if (rolled.length === 0) return;
  if (d.drainMs > 0) await new Promise((res) => setTimeout(res, d.drainMs));
  for (const name of rolled) {
    try {
      await d.podman.stopContainer(name, d.stopTimeoutSeconds);
      await d.podman.removeContainer(name);
    } catch (e) {
      d.registry.event(svc, "drain_failed", `${name}: ${(e as Error).message}`);
    }
  }
}

/** Adds every planned route; removes the service's old routes the plan no longer has. */
async function routes(d: AgentDeps, svc: string, plan: Plan, certs: CertRow[], steps: Steps) {
  const proxy = d.proxy;
  if (!proxy) return;
  await steps.run("routes", async (undo) => {
    for (const r of plan.routes) {
      const listener = await proxy.listenerFor(r.listenerPort);
      const before = (await proxy.routesOn(listener)).get(r.hostname);
      const tls = (c?: CertRow) =>
        r.mode === "l7" && c ? { tlsCert: c.certPath, tlsKey: c.keyPath } : {};
      const cert = certs.find((c) => c.hostname === r.hostname);
      const backend = `${d.node.address}:${r.hostPort}`;
      const route = { listener, hostname: r.hostname, mode: r.mode };
      await proxy.add({ ...route, backend, ...tls(cert) });
      if (before === undefined) undo(() => proxy.remove(listener, r.hostname));
      else if (before !== backend)
        undo(() => proxy.add({ ...route, backend: before, ...tls(cert) }));
      r.registered = true;
    }
    const keep = new Set(plan.routes.map((r) => `${r.listenerPort}/${r.hostname}`));
    const stale = d.registry
      .routes(svc)
      .filter((r) => !keep.has(`${r.listenerPort}/${r.hostname}`));
    await proxy.removeAll(stale);
  });
}

async function dns(d: AgentDeps, svc: string, steps: Steps): Promise<DnsRow[]> {
  const records = d.dns;
  if (!records) return [];
  return steps.run("dns", async (undo) => {
    const r = await records.ensureA(svc, d.node.address);
    if (r.created) undo(() => records.remove(r.id));
    return [
      {
        service: svc,
        zone: records.zone,
        name: svc,
        type: "A",
        value: d.node.address,
        recordId: r.id,
      },
    ];
  });
}

export async function deploy(
  d: AgentDeps,
  def: ServiceDef,
  actor: string,
  kind: DeployKind = "deploy",
): Promise<DeployResult> {
  if (def.node !== d.node.name) {
    throw new AppError(
      409,
      "wrong_node",
      `${def.name} is for node ${def.node}; this is ${d.node.name}`,
    );
  }
  const reg = d.registry;
  const deployId = reg.startDeploy(def, actor, kind);
  const steps = new Steps(def.name, "deploy");
  try {
    const prior = reg.routes(def.name);
    const ports = await steps.run("ports", () => {
      const others = new Set(
        [...reg.usedHostPorts()].filter((p) => !prior.some((r) => r.hostPort === p)),
      );
      return allocatePorts(def, prior, others, d.ports, d.node.address);
    });
    const rollout = await steps.run("plan", () => planRollout(d, def, ports));
    const plan = rollout.plan;
    const l7 = [...new Set(plan.routes.filter((r) => r.mode === "l7").map((r) => r.hostname))];
    const certs = await steps.run("certificates", (undo) =>
      certificatesFor(d.certs, reg, def.name, l7, undo),
    );
    await steps.run("image", () => images(d, def));
    const made = await containers(d, rollout, steps);
    await routes(d, def.name, plan, certs, steps);
    const records = await dns(d, def.name, steps);
    await drain(d, def.name, made);
    await steps.run("prune", () => prune(d, def.name, plan, certs));
    await steps.run("record", async () => record(d, def, plan, certs, records));
    reg.finishDeploy(deployId);
    d.logger.info({ service: def.name, actor, containers: made }, "deployed");
    return { service: def.name, containers: made, routes: plan.routes };
  } catch (e) {
    const step = (e as { step?: string }).step ?? "deploy";
    reg.finishDeploy(deployId, { step, error: e instanceof Error ? e.message : String(e) });
    if (reg.getService(def.name))
      reg.event(def.name, "deploy_failed", String((e as Error).message));
    if (steps.rollbackErrors.length)
      d.logger.warn({ service: def.name, errors: steps.rollbackErrors }, "rollback incomplete");
    throw e;
  }
}

/** Containers of the service that the definition no longer has, and their certificate files. */
async function prune(d: AgentDeps, svc: string, plan: Plan, certs: CertRow[]): Promise<void> {
  const paths = new Set(certs.map((c) => c.certPath));
  removeCertFiles(d.registry.certificates(svc).filter((c) => !paths.has(c.certPath)));
  const keep = new Set(plan.components.map((c) => c.spec.name));
  for (const c of await d.podman.listContainers(`${LABEL_SERVICE}=${svc}`)) {
    if (!keep.has(c.name)) await d.podman.removeContainer(c.name);
  }
}

function record(
  d: AgentDeps,
  def: ServiceDef,
  plan: Plan,
  certs: CertRow[],
  dnsRows: DnsRow[],
): void {
  const reg = d.registry;
  reg.tx(() => {
    reg.putService(def, "running");
    for (const c of plan.components) {
      reg.putComponent({
        service: def.name,
        name: c.def.name,
        image: c.def.image,
        container: c.spec.name,
        specHash: c.specHash,
      });
    }
    reg.deleteComponentsExcept(
      def.name,
      plan.components.map((c) => c.def.name),
    );
    reg.replaceRoutes(def.name, plan.routes);
    reg.deleteCertificates(def.name);
    for (const c of certs) reg.putCertificate(c);
    reg.deleteDnsRecords(def.name);
    for (const r of dnsRows) reg.putDnsRecord(r);
    reg.event(
      def.name,
      "deployed",
      `${plan.components.length} component(s), ${plan.routes.length} route(s)`,
    );
  });
}
