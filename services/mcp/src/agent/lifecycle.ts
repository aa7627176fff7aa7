// Stop, start and undeploy of a deployed service. Stop takes the service off the network first
// (proxy routes, then its DNS name) and then stops its containers; start brings the containers
// back and then the routes and the name; undeploy stops and removes everything: containers,
// routes, records, the certificate files the agent wrote and registry rows. Each is idempotent:
// a route, record or container already gone is not an error.
import { AppError } from "@metacircular/mcdsl/errors";
import type { ServiceRow } from "../db/registry.ts";
import { removeCertFiles } from "./certs.ts";
import { deploy } from "./deploy.ts";
import type { AgentDeps } from "./deps.ts";
import { LABEL_SERVICE } from "./plan.ts";
import { Steps } from "./steps.ts";

function known(d: AgentDeps, name: string): ServiceRow {
  const s = d.registry.getService(name);
  if (!s) throw AppError.notFound("unknown_service", `no service ${name} on node ${d.node.name}`);
  return s;
}

async function offNetwork(d: AgentDeps, name: string, steps: Steps): Promise<void> {
  const proxy = d.proxy;
  if (proxy) await steps.run("routes", () => proxy.removeAll(d.registry.routes(name)));
  d.registry.setRoutesRegistered(name, false);
  const records = d.dns;
  if (records) {
    await steps.run("dns", async () => {
      for (const r of d.registry.dnsRecords(name)) await records.remove(r.recordId);
    });
  }
  d.registry.deleteDnsRecords(name);
}

export async function stopService(d: AgentDeps, name: string): Promise<void> {
  known(d, name);
  const steps = new Steps(name, "stop");
  await offNetwork(d, name, steps);
  await steps.run("containers", async () => {
    for (const c of d.registry.components(name)) {
      await d.podman.stopContainer(c.container, d.stopTimeoutSeconds).catch((e: unknown) => {
        if (!(e instanceof AppError && e.code === "podman_not_found")) throw e;
      });
    }
  });
  d.registry.setDesired(name, "stopped");
  d.registry.event(name, "stopped", "routes and DNS removed, containers stopped");
}

/** Start is a deploy of the definition as recorded: same ports, routes, certificates, name. */
export async function startService(d: AgentDeps, name: string, actor: string): Promise<void> {
  const svc = known(d, name);
  await deploy(d, svc.definition, actor, "start");
  d.registry.event(name, "started", "containers, routes and DNS back");
}

export async function undeployService(d: AgentDeps, name: string): Promise<void> {
  known(d, name);
  const steps = new Steps(name, "undeploy");
  await offNetwork(d, name, steps);
  await steps.run("containers", async () => {
    for (const c of d.registry.components(name)) await d.podman.removeContainer(c.container);
    for (const c of await d.podman.listContainers(`${LABEL_SERVICE}=${name}`)) {
      await d.podman.removeContainer(c.name);
    }
  });
  await steps.run("certificates", async () => removeCertFiles(d.registry.certificates(name)));
  d.registry.deleteService(name);
  d.logger.info({ service: name }, "undeployed");
}
