// The agent's use cases as its API offers them: who may call (guests never), one change at a
// time on this node (deploys, stops and undeploys are serialized), and the definition parsed
// by the same loader the CLI uses. gRPC handlers only translate to and from this.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Identity } from "@metacircular/mcdsl/grpc";
import { definitionError, parseServiceDef } from "../servicedef/load.ts";
import { bootRecover, type Recovered, recoverAll } from "./boot.ts";
import { type DeployResult, deploy } from "./deploy.ts";
import type { AgentDeps } from "./deps.ts";
import { rollbackService } from "./history.ts";
import { startService, stopService, undeployService } from "./lifecycle.ts";
import { type MonitorPolicy, monitorPass, type PassResult } from "./monitor.ts";
import {
  type ComponentStatus,
  listComponents,
  type ServiceStatus,
  serviceStatus,
} from "./status.ts";

export interface AgentInfo {
  node: string;
  podmanVersion: string;
  services: number;
  proxy: boolean;
  dns: boolean;
  pull: boolean;
}

const actor = (id: Identity) => `${id.accountType}:${id.username}`;

export function assertOperator(id: Identity): void {
  if (id.roles.includes("guest") && !id.roles.includes("admin")) {
    throw AppError.forbidden("guest accounts cannot use the agent", "guest_denied");
  }
}

export class Agent {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly deps: AgentDeps) {}

  /** Runs `fn` after every change queued before it (one change at a time on this node). */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  deploy(id: Identity, text: string, file: string): Promise<DeployResult> {
    assertOperator(id);
    let def: ReturnType<typeof parseServiceDef>;
    try {
      def = parseServiceDef(text, file || "definition");
    } catch (e) {
      throw definitionError(e);
    }
    return this.serial(() => deploy(this.deps, def, actor(id)));
  }

  stop(id: Identity, name: string): Promise<void> {
    assertOperator(id);
    return this.serial(() => stopService(this.deps, name));
  }

  start(id: Identity, name: string): Promise<void> {
    assertOperator(id);
    return this.serial(() => startService(this.deps, name, actor(id)));
  }

  undeploy(id: Identity, name: string): Promise<void> {
    assertOperator(id);
    return this.serial(() => undeployService(this.deps, name));
  }

  recover(id: Identity): Promise<Recovered[]> {
    assertOperator(id);
    return this.serial(() => recoverAll(this.deps));
  }

  /** At start-up: the boot sequence, when podman lost what should run (a reboot, say). */
  boot(): Promise<Recovered[]> {
    return this.serial(() => bootRecover(this.deps));
  }

  rollback(id: Identity, name: string, toDeploy: number) {
    assertOperator(id);
    return this.serial(() => rollbackService(this.deps, name, actor(id), toDeploy));
  }

  /** One monitor pass, queued with the changes (never concurrent with a deploy). */
  monitor(policy: MonitorPolicy): Promise<PassResult> {
    return this.serial(() => monitorPass(this.deps, policy));
  }

  components(id: Identity): Promise<ComponentStatus[]> {
    assertOperator(id);
    return listComponents(this.deps);
  }

  status(id: Identity, name: string): Promise<ServiceStatus> {
    assertOperator(id);
    return serviceStatus(this.deps, name);
  }

  async logs(id: Identity, service: string, component: string, tail: number): Promise<string> {
    assertOperator(id);
    const comps = this.deps.registry.components(service);
    const c = component ? comps.find((x) => x.name === component) : comps[0];
    if (!c)
      throw AppError.notFound(
        "unknown_component",
        `no component ${component || "(first)"} in ${service}`,
      );
    return this.deps.podman.logs(c.container, Math.min(Math.max(tail || 100, 1), 10_000));
  }

  async info(id: Identity): Promise<AgentInfo> {
    assertOperator(id);
    const d = this.deps;
    return {
      node: d.node.name,
      podmanVersion: (await d.podman.version()).version,
      services: d.registry.listServices().length,
      proxy: Boolean(d.proxy),
      dns: Boolean(d.dns),
      pull: d.images.pull,
    };
  }
}
