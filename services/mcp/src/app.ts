// Assembles an mcp-agent: registry (SQLite, migrations) → podman client (checked: the agent
// says at start-up what is missing) → the integrations switched on in the config (MC-Proxy
// routes, MCNS records, L7 certificates, image pulls) → the gRPC API (MCIAS tokens for the
// agent's own audience).
import { readFileSync } from "node:fs";
import { AuthClient } from "@metacircular/mcdsl/auth";
import { openDatabase } from "@metacircular/mcdsl/db";
import { type GrpcServerHandle, serveGrpc, type TokenValidator } from "@metacircular/mcdsl/grpc";
import type { Logger } from "@metacircular/mcdsl/log";
import { Agent } from "./agent/agent.ts";
import { certSourceFrom } from "./agent/certs.ts";
import type { AgentDeps } from "./agent/deps.ts";
import { DnsRecords } from "./agent/dns.ts";
import { ProxyRoutes } from "./agent/proxy.ts";
import type { AgentConfig } from "./config.ts";
import { migrations } from "./db/migrations.ts";
import { Registry } from "./db/registry.ts";
import { registerHandlers } from "./grpcserver/handlers.ts";
import { grpcAccess } from "./grpcserver/method-map.ts";
import { PodmanClient } from "./podman/client.ts";
import { ownPodman, startOwnPodman } from "./podman/own-service.ts";
import { rootlessMissing, thisHost } from "./podman/rootless.ts";
import type { RegistryAuth } from "./podman/types.ts";
import { VERSION } from "./version.ts";

export interface AgentOptions {
  logger: Logger;
  /** Token validator; default an MCIAS AuthClient for [mcias] service_name. */
  validator?: TokenValidator;
}

export interface AgentHandle {
  grpc: GrpcServerHandle;
  agent: Agent;
  close(): Promise<void>;
}

function depsFrom(
  cfg: AgentConfig,
  registry: Registry,
  podman: PodmanClient,
  log: Logger,
): AgentDeps {
  const d: AgentDeps = {
    registry,
    podman,
    node: { name: cfg.node.name, address: cfg.node.address },
    ports: { min: cfg.ports.min, max: cfg.ports.max },
    zone: cfg.dns.zone,
    images: { pull: cfg.images.pull, tlsVerify: cfg.images.tls_verify },
    stopTimeoutSeconds: cfg.podman.stop_timeout_seconds,
    readyTimeoutMs: 60_000,
    drainMs: cfg.deploy.drain_seconds * 1000,
    logger: log,
    files: { root: cfg.files.root, maxBytes: cfg.files.max_bytes },
  };
  if (cfg.boot.sequence.length) d.bootSequence = cfg.boot.sequence;
  if (cfg.proxy.enabled) d.proxy = new ProxyRoutes(cfg.proxy.socket);
  if (cfg.dns.enabled && cfg.dns.url && cfg.dns.token_file) {
    d.dns = new DnsRecords({
      url: cfg.dns.url,
      tokenFile: cfg.dns.token_file,
      zone: cfg.dns.zone,
      ttl: cfg.dns.ttl,
      ...(cfg.dns.ca_cert ? { caCert: cfg.dns.ca_cert } : {}),
    });
  }
  const certs = certSourceFrom(cfg.certs);
  if (certs) d.certs = certs;
  const auth = imageAuthFrom(cfg.images);
  if (auth) d.images.auth = auth;
  return d;
}

/**
 * The registry login for pulls. The password (an MCIAS token for MCR) is read from its file at
 * every pull, so a renewed token takes effect without restarting the agent.
 */
export function imageAuthFrom(i: AgentConfig["images"]): RegistryAuth | undefined {
  const file = i.password_file;
  if (!i.username || !file) return undefined;
  return {
    username: i.username,
    get password() {
      return readFileSync(file, "utf8").trim();
    },
  };
}

/** The monitor's passes, one at a time, every [monitor] interval_seconds (0: none). */
function startMonitor(cfg: AgentConfig, agent: Agent, log: Logger): NodeJS.Timeout | undefined {
  const m = cfg.monitor;
  if (m.interval_seconds === 0) return undefined;
  const policy = {
    restore: m.restore,
    flapWindowMs: m.flap_window_seconds * 1000,
    flapMax: m.flap_max,
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    agent
      .monitor(policy)
      .catch((e: unknown) => log.warn({ err: e }, "monitor pass failed"))
      .finally(() => {
        running = false;
      });
  }, m.interval_seconds * 1000);
  timer.unref();
  return timer;
}

/** Not root: podman runs rootless; say which host pieces it lacks (networking, limits, ids). */
function warnRootless(log: Logger): void {
  const host = thisHost();
  if (host.uid === 0) return;
  const missing = rootlessMissing(host);
  if (missing.length === 0)
    log.info({ uid: host.uid }, "rootless podman: the host has what it needs");
  else
    log.warn(
      { uid: host.uid, missing: missing.map((m) => `${m.what}: ${m.detail}`) },
      "rootless podman: this host lacks what containers need; run the agent as root, or fix these",
    );
}

/**
 * The agent on the podman of [podman] socket; with [podman] service_dir it first starts its own
 * podman service there (stopped again when the agent closes or fails to start).
 */
export async function startAgent(cfg: AgentConfig, opts: AgentOptions): Promise<AgentHandle> {
  const dir = cfg.podman.service_dir;
  if (!dir) return startOn(cfg, opts);
  const ca = cfg.podman.service_ca_cert;
  const own = await startOwnPodman(ownPodman(dir, cfg.podman.socket), ca ? { caCert: ca } : {});
  opts.logger.info({ pid: own.pid, dir }, "own podman service started");
  try {
    const h = await startOn(cfg, opts);
    return { ...h, close: () => h.close().finally(() => own.stop()) };
  } catch (e) {
    await own.stop();
    throw e;
  }
}

async function startOn(cfg: AgentConfig, opts: AgentOptions): Promise<AgentHandle> {
  const log = opts.logger;
  const podman = new PodmanClient(cfg.podman.socket);
  const pv = await podman.version().catch((e: unknown) => {
    throw new Error(
      `podman is not reachable on ${cfg.podman.socket} (run \`podman system service\`): ${String(e)}`,
    );
  });
  warnRootless(log);
  const db = openDatabase(cfg.database.path, { migrations, logger: log });
  const agent = new Agent(depsFrom(cfg, new Registry(db), podman, log));
  let auth: AuthClient | undefined;
  if (!opts.validator) {
    const m = cfg.mcias;
    auth = new AuthClient({
      serverUrl: m.server_url,
      serviceName: m.service_name,
      tags: m.tags,
      logger: log,
      ...(m.ca_cert ? { caCert: m.ca_cert } : {}),
    });
  }
  const grpc = await serveGrpc({
    service: "mcp-agent",
    version: VERSION,
    register: (router) => registerHandlers(router, agent),
    methodMap: grpcAccess,
    validator: opts.validator ?? (auth as AuthClient),
    listen: cfg.server.grpc_addr,
    ...(cfg.server.tls_cert && cfg.server.tls_key
      ? { tls: { cert: cfg.server.tls_cert, key: cfg.server.tls_key } }
      : {}),
    logger: log,
    shutdownTimeoutMs: cfg.server.shutdown_timeout_ms,
  });
  const timer = startMonitor(cfg, agent, log);
  if (cfg.boot.recover_on_start) {
    agent
      .boot()
      .then((r) => {
        if (r.length) log.info({ recovered: r }, "boot sequence done");
      })
      .catch((e: unknown) => log.warn({ err: e }, "boot sequence failed"));
  }
  const missing = [
    cfg.proxy.enabled ? "" : "MC-Proxy routes",
    cfg.dns.enabled ? "" : "MCNS records",
    agent.deps.certs ? "" : "L7 certificates ([certs])",
  ].filter(Boolean);
  log.info(
    { url: grpc.url, node: cfg.node.name, podman: pv.version, off: missing },
    "mcp-agent started",
  );
  return {
    grpc,
    agent,
    async close() {
      if (timer) clearInterval(timer);
      await grpc.close();
      await auth?.close();
      if (agent.deps.certs?.kind === "metacrypt") agent.deps.certs.issuer.close();
      podman.close();
      db.close();
    },
  };
}
