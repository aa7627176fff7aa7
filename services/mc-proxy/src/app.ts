// Wires the proxy together: config → database (seeded from TOML when empty) → runtime (engine
// in-process or cluster workers) → admin API on the Unix socket → metrics endpoint → signals.
import { createServer as createHttp, type Server } from "node:http";
import { AuthClient } from "@metacircular/mcdsl/auth";
import { formatListenAddr, parseListenAddr } from "@metacircular/mcdsl/config";
import { type Database, openDatabase } from "@metacircular/mcdsl/db";
import { type GrpcServerHandle, serveGrpc } from "@metacircular/mcdsl/grpc";
import { createLogger, type Logger } from "@metacircular/mcdsl/log";
import { AggregatorRegistry, createRegistry } from "@metacircular/mcdsl/metrics";
import type { Config } from "./config.ts";
import { MIGRATIONS } from "./db/migrations.ts";
import { Engine } from "./engine.ts";
import { registerAdmin, VERSION } from "./grpcserver/admin-service.ts";
import { METHOD_MAP } from "./grpcserver/method-map.ts";
import { createMetrics } from "./metrics/metrics.ts";
import { ClusterRuntime } from "./runtime/cluster.ts";
import { LocalRuntime } from "./runtime/local.ts";
import { Controller } from "./state/controller.ts";
import { stateFromSeed } from "./state/seed.ts";
import { StateStore } from "./state/store.ts";

type Runtime = LocalRuntime | ClusterRuntime;

/** The state database, seeded from the TOML when it is empty. */
function openStore(cfg: Config, logger: Logger): { db: Database; store: StateStore } {
  const db = openDatabase(cfg.database.path, { migrations: MIGRATIONS, logger });
  const store = new StateStore(db);
  if (store.isEmpty()) {
    store.replaceAll(stateFromSeed({ listeners: cfg.listeners, firewall: cfg.firewall }));
    logger.info({ listeners: cfg.listeners.length }, "database was empty: seeded from config");
  }
  return { db, store };
}

/** The engine in this process (workers = 0) or the cluster, and where its metrics come from. */
async function startRuntime(
  cfg: Config,
  configPath: string,
  logger: Logger,
): Promise<{ runtime: Runtime; metricsText: () => Promise<string> }> {
  if (cfg.server.workers !== 0) {
    const cr = new ClusterRuntime(cfg.server.workers, configPath, logger, cfg.server.io);
    await cr.start();
    const agg = new AggregatorRegistry();
    return { runtime: cr, metricsText: () => agg.clusterMetrics() };
  }
  // With process_* and nodejs_* (resident memory, CPU, descriptors, heap, event-loop lag).
  const registry = createRegistry();
  const engine = new Engine({
    logger,
    metrics: createMetrics(registry),
    accessLog: cfg.server.access_log,
    helloTimeoutMs: cfg.server.hello_timeout_ms,
    handshakeTimeoutMs: cfg.server.handshake_timeout_ms,
    healthIntervalMs: cfg.server.health_interval_ms,
    io: cfg.server.io,
    ioThreads: cfg.server.io_threads,
    h2Front: cfg.server.h2_front,
    h1Front: cfg.server.h1_front,
    exclusive: true,
  });
  return { runtime: new LocalRuntime(engine), metricsText: () => registry.metrics() };
}

interface AdminApis {
  admin: GrpcServerHandle;
  tcpAdmin: GrpcServerHandle | null;
  auth: AuthClient | null;
}

/** The admin API on the Unix socket, and on TCP behind MCIAS when configured. */
async function startAdmin(cfg: Config, controller: Controller, logger: Logger): Promise<AdminApis> {
  // The Unix socket's file mode (0660) is the gate: every method in the map is open on it, and
  // methods missing from the map are still refused (default deny in mcdsl's interceptor).
  const admin = await serveGrpc({
    service: "mc-proxy",
    version: VERSION,
    register: (r) => registerAdmin(r, controller),
    methodMap: Object.fromEntries(Object.keys(METHOD_MAP).map((k) => [k, "public" as const])),
    listen: `unix:${cfg.admin.socket}`,
    unixMode: 0o660,
    logger,
    shutdownTimeoutMs: 2_000,
  });
  if (cfg.admin.grpc_addr === undefined || cfg.mcias === undefined)
    return { admin, tcpAdmin: null, auth: null };
  // Optional TCP admin API: every method needs an MCIAS token with the admin role.
  const auth = new AuthClient({
    serverUrl: cfg.mcias.server_url,
    caCert: cfg.mcias.ca_cert,
    serviceName: cfg.mcias.service_name,
    tags: cfg.mcias.tags,
    logger,
  });
  auth.startRevocationWatch();
  const tls =
    cfg.admin.tls_cert && cfg.admin.tls_key
      ? { cert: cfg.admin.tls_cert, key: cfg.admin.tls_key }
      : undefined;
  const tcpAdmin = await serveGrpc({
    service: "mc-proxy",
    version: VERSION,
    register: (r) => registerAdmin(r, controller),
    methodMap: METHOD_MAP,
    validator: auth,
    listen: cfg.admin.grpc_addr,
    tls,
    logger,
    shutdownTimeoutMs: 2_000,
  });
  return { admin, tcpAdmin, auth };
}

/** GET /metrics on `listen`; anything else is a JSON 404. Answers the bound address. */
async function startMetrics(
  listen: string,
  metricsText: () => Promise<string>,
): Promise<{ server: Server; addr: string }> {
  const { host, port } = parseListenAddr(listen);
  const server = createHttp((req, res) => {
    if (req.url !== "/metrics") {
      res
        .writeHead(404, { "content-type": "application/json" })
        .end('{"error":{"code":"not_found","message":"not found"}}');
      return;
    }
    metricsText().then(
      (t) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(t),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((r) => server.listen(port, host || undefined, () => r()));
  const a = server.address();
  const addr =
    a !== null && typeof a === "object" ? formatListenAddr({ host: a.address, port: a.port }) : "";
  return { server, addr };
}

interface Running {
  db: Database;
  runtime: Runtime;
  apis: AdminApis;
  metricsServer: Server | null;
}

/** SIGTERM/SIGINT: close the APIs, drain connections up to the shutdown timeout, exit 0. */
function stopOnSignals(cfg: Config, logger: Logger, r: Running): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const timeout = cfg.server.shutdown_timeout_ms;
    logger.info({ signal, timeout_ms: timeout }, "shutting down: draining connections");
    const started = Date.now();
    await r.apis.admin.close();
    await r.apis.tcpAdmin?.close();
    await r.apis.auth?.close();
    r.metricsServer?.close();
    r.metricsServer?.closeAllConnections();
    if (r.runtime instanceof LocalRuntime) {
      const { forced } = await r.runtime.close(timeout);
      if (forced > 0)
        logger.warn({ forced }, "shutdown timeout reached: forced open connections closed");
    } else await r.runtime.close(timeout);
    r.db.close();
    logger.info({ ms: Date.now() - started }, "stopped");
    logger.flush();
    setImmediate(() => process.exit(0));
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

export async function runServer(cfg: Config, configPath: string): Promise<void> {
  const logger = createLogger({ service: "mc-proxy", level: cfg.log.level });
  const { db, store } = openStore(cfg, logger);
  let started: Awaited<ReturnType<typeof startRuntime>>;
  try {
    started = await startRuntime(cfg, configPath, logger);
  } catch (e) {
    // e.g. [server] io = "native" without a loadable addon: one clear line, no stack trace.
    logger.fatal({ err: (e as Error).message }, "cannot start");
    logger.flush();
    process.stderr.write(`mc-proxy: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const { runtime, metricsText } = started;
  const controller = new Controller(store, runtime, logger);
  await controller.push();
  const apis = await startAdmin(cfg, controller, logger);
  const metrics =
    cfg.metrics.listen_addr === undefined
      ? null
      : await startMetrics(cfg.metrics.listen_addr, metricsText);
  const status = await runtime.status();
  logger.info(
    {
      version: VERSION,
      listeners: status.addresses,
      metrics: metrics?.addr ?? "",
      workers: status.workers,
    },
    "ready",
  );
  stopOnSignals(cfg, logger, { db, runtime, apis, metricsServer: metrics?.server ?? null });
}
