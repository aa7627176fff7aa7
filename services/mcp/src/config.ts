// mcp-agent.toml schema. Environment overrides: MCP_AGENT_<SECTION>_<KEY>; $PORT_GRPC →
// server.grpc_addr. Every integration the deploy reaches (MC-Proxy routes, MCNS records,
// Metacrypt certificates, image pulls from MCR) is switched on or off here, never faked.
import {
  databaseSection,
  listenAddr,
  loadConfig,
  logSection,
  mciasSection,
} from "@metacircular/mcdsl/config";
import { z } from "zod";

const file = z.string().min(1);

export const serverSection = z.strictObject({
  /** The agent's gRPC API ("127.0.0.1:9444", or "unix:/srv/mcp/mcp-agent.sock"). */
  grpc_addr: listenAddr,
  tls_cert: file.optional(),
  tls_key: file.optional(),
  shutdown_timeout_ms: z.number().int().min(0).max(120_000).default(10_000),
});

export const nodeSection = z.strictObject({
  /** This node's name, as service definitions name it in `node`. */
  name: z.string().min(1),
  /** The address MC-Proxy reaches containers on, and the A record MCNS publishes. */
  address: z.ipv4().default("127.0.0.1"),
});

export const podmanSection = z.strictObject({
  /** The Unix socket of `podman system service` (rootful: /run/podman/podman.sock). */
  socket: file.default("/run/podman/podman.sock"),
  /**
   * Development (npm start): the agent runs its own `podman system service` on `socket`, with
   * storage, runroot and containers.conf under this folder, and stops it when it stops.
   */
  service_dir: file.optional(),
  /** With service_dir: a CA (PEM) that service trusts for registries besides the system's. */
  service_ca_cert: file.optional(),
  /** Seconds between SIGTERM and SIGKILL when stopping a container. */
  stop_timeout_seconds: z.number().int().min(0).max(300).default(10),
});

export const portsSection = z
  .strictObject({
    min: z.number().int().min(1024).max(65535).default(10000),
    max: z.number().int().min(1024).max(65535).default(60000),
  })
  .refine((p) => p.min < p.max, { message: "min must be below max" });

export const proxySection = z.strictObject({
  enabled: z.boolean().default(true),
  /** MC-Proxy's admin socket (its [admin] socket). */
  socket: file.default("/srv/mc-proxy/mc-proxy.sock"),
});

export const dnsSection = z.strictObject({
  enabled: z.boolean().default(true),
  /** MCNS's gRPC address ("https://mcns.svc.mcp.metacircular.net:9443" or "http://127.0.0.1:…"). */
  url: z.string().url().optional(),
  ca_cert: file.optional(),
  /** The agent's MCIAS system-account token for the mcns audience (account mcp-agent). */
  token_file: file.optional(),
  zone: z.string().min(1).default("svc.mcp.metacircular.net"),
  ttl: z.number().int().min(1).max(86_400).default(60),
});

export const certsSection = z.strictObject({
  /**
   * static: every L7 route presents `cert`/`key` (a wildcard for the service zone). metacrypt:
   * one certificate per host name from Metacrypt's host-cert path, written into `dir`.
   */
  mode: z.enum(["static", "metacrypt"]).default("static"),
  cert: file.optional(),
  key: file.optional(),
  /** Metacrypt's REST API ("https://metacrypt.svc.mcp.metacircular.net:8443"). */
  url: z.string().url().optional(),
  ca_cert: file.optional(),
  /** The agent's MCIAS system-account token for the metacrypt audience (account mcp-agent). */
  token_file: file.optional(),
  mount: z.string().min(1).default("pki"),
  profile: z.string().min(1).default("host"),
  /** MC-Proxy's certificate directory: <hostname>.pem (leaf + chain) and <hostname>.key, 0600. */
  dir: file.default("/srv/mc-proxy/certs"),
  /**
   * A Metacrypt certificate this close to expiry (or within the last third of its lifetime,
   * whichever comes first) is renewed: by the next deploy, and by the monitor without one.
   */
  renew_before_days: z.number().int().min(1).max(365).default(30),
});

export const deploySection = z.strictObject({
  /**
   * After a redeploy moved a route to the new container: how long the old one keeps running
   * so requests it was serving finish, before it is stopped and removed.
   */
  drain_seconds: z.number().min(0).max(600).default(5),
});

export const bootStage = z.strictObject({
  name: z.string().min(1),
  /** The services of this stage; each is deployed and health-checked before the next stage. */
  services: z.array(z.string().min(1)).min(1),
});

export const bootSection = z
  .strictObject({
    /** At start-up, when a service that should run has no running container: recover. */
    recover_on_start: z.boolean().default(true),
    /** Stages in order; services no stage names come after the last one (core tier first). */
    sequence: z.array(bootStage).default([]),
  })
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.sequence.forEach((st, i) => {
      for (const svc of st.services) {
        if (seen.has(svc))
          ctx.addIssue({
            code: "custom",
            path: ["sequence", i, "services"],
            message: `${svc} is in more than one stage`,
          });
        seen.add(svc);
      }
    });
  });

export const imagesSection = z.strictObject({
  /** Pull images before creating containers (off: the image must already be on the node). */
  pull: z.boolean().default(true),
  tls_verify: z.boolean().default(true),
  /** Registry credentials of the agent's system account: username and a file holding its token. */
  username: z.string().min(1).optional(),
  password_file: file.optional(),
});

export const monitorSection = z.strictObject({
  /** Seconds between passes comparing the registry with podman; 0 turns the monitor off. */
  interval_seconds: z.number().int().min(0).max(3600).default(30),
  /** Redeploy a service that drifted (off: drift is only reported). */
  restore: z.boolean().default(true),
  /** A service restored flap_max times within flap_window_seconds is marked flapping. */
  flap_window_seconds: z.number().int().min(10).max(86_400).default(300),
  flap_max: z.number().int().min(1).max(100).default(3),
});

export const filesSection = z.strictObject({
  /** The folder holding each service's folder (push, pull, snapshot, restore). */
  root: file.default("/srv"),
  /** The largest file or archive the agent accepts, in bytes. */
  max_bytes: z
    .number()
    .int()
    .min(1)
    .default(1 << 30),
});

export const configSchema = z
  .strictObject({
    server: serverSection,
    database: databaseSection,
    log: logSection.default({ level: "info" }),
    mcias: mciasSection,
    node: nodeSection,
    podman: podmanSection.default(podmanSection.parse({})),
    ports: portsSection.default({ min: 10000, max: 60000 }),
    proxy: proxySection.default(proxySection.parse({})),
    dns: dnsSection.default(dnsSection.parse({})),
    certs: certsSection.default(certsSection.parse({})),
    images: imagesSection.default(imagesSection.parse({})),
    monitor: monitorSection.default(monitorSection.parse({})),
    deploy: deploySection.default(deploySection.parse({})),
    boot: bootSection.default({ recover_on_start: true, sequence: [] }),
    files: filesSection.default(filesSection.parse({})),
  })
  .superRefine((c, ctx) => {
    if (c.dns.enabled && (!c.dns.url || !c.dns.token_file)) {
      ctx.addIssue({ code: "custom", path: ["dns"], message: "enabled needs url and token_file" });
    }
    if (Boolean(c.certs.cert) !== Boolean(c.certs.key)) {
      ctx.addIssue({ code: "custom", path: ["certs"], message: "cert and key go together" });
    }
    if (c.certs.mode === "metacrypt" && (!c.certs.url || !c.certs.token_file)) {
      ctx.addIssue({
        code: "custom",
        path: ["certs"],
        message: "metacrypt needs url and token_file",
      });
    }
  });

export type AgentConfig = z.infer<typeof configSchema>;

export function loadAgentConfig(path: string, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  return loadConfig(configSchema, {
    path,
    envPrefix: "MCP_AGENT",
    env,
    ports: { named: { GRPC: "server.grpc_addr" } },
  });
}
