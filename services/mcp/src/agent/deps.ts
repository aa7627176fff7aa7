// What the agent's use cases work with: the registry, podman, and each integration that is
// switched on in the config (an absent one is skipped, and says so in the deploy's events).
import type { Logger } from "@metacircular/mcdsl/log";
import type { Registry } from "../db/registry.ts";
import type { PodmanClient } from "../podman/client.ts";
import type { RegistryAuth } from "../podman/types.ts";
import type { CertSource } from "./certs.ts";
import type { DnsRecords } from "./dns.ts";
import type { PortRange } from "./ports.ts";
import type { ProxyRoutes } from "./proxy.ts";
import type { FilesConfig } from "./service-files.ts";

/** A [[boot.sequence]] stage: services brought back together, healthy before the next stage. */
export interface BootStage {
  name: string;
  services: string[];
}

export interface AgentDeps {
  registry: Registry;
  podman: PodmanClient;
  proxy?: ProxyRoutes;
  dns?: DnsRecords;
  node: { name: string; address: string };
  ports: PortRange;
  zone: string;
  /** Where the certificates MC-Proxy presents on L7 routes come from. */
  certs?: CertSource;
  images: { pull: boolean; tlsVerify: boolean; auth?: RegistryAuth };
  stopTimeoutSeconds: number;
  readyTimeoutMs: number;
  /** How long a version a redeploy moved away from keeps running before it is stopped. */
  drainMs: number;
  /** [[boot.sequence]]: the order recover brings services back in. */
  bootSequence?: BootStage[];
  logger: Logger;
  /** Where service folders are (push, pull, snapshot, restore); default /srv. */
  files?: FilesConfig;
}
