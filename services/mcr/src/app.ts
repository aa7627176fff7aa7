// Assembles an MCR instance: database → blob store → policy, audit, GC → MCIAS client → token
// service (signing key from its file) → the admin use cases → one HTTPS listener serving the
// distribution API (/v2, registry tokens) and the admin API (/v1, MCIAS tokens for [mcias]
// service_name); optionally the gRPC admin API ([server] grpc_addr) and the web UI ([web]
// listen_addr, plain HTTP on loopback behind MC-Proxy).
//
// /v2 runs on the Node request and response directly (handed over from Hono before any
// middleware): blob bodies must stream to and from the store with back-pressure and without the
// admin API's body limit, and its errors, challenges and authorization follow the distribution
// spec rather than the platform's REST conventions.

import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { AuthClient } from "@metacircular/mcdsl/auth";
import { type Database, openDatabase } from "@metacircular/mcdsl/db";
import type { GrpcServerHandle } from "@metacircular/mcdsl/grpc";
import {
  type AppEnv,
  type HttpServerHandle,
  httpOptionsFromConfig,
  nodeObjects,
  renderError,
  renderNotFound,
  serveHttp,
  type TokenValidator,
} from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import { type Context, Hono } from "hono";
import { RegistryTokens } from "./auth/registry-token.ts";
import { loadOrCreateSigningKey } from "./auth/signing-key.ts";
import { TokenService } from "./auth/token-service.ts";
import { type McrConfig, signingKeyPath } from "./config.ts";
import { migrations } from "./db/migrations.ts";
import { Queries } from "./db/queries.ts";
import { createV2Handler } from "./distribution/v2-handler.ts";
import { GcRunner } from "./gc/gc-runner.ts";
import { startGrpc } from "./grpcserver/serve.ts";
import { createMetrics, type RegistryMetrics } from "./metrics.ts";
import { PolicyStore } from "./policy/policy-store.ts";
import { RegistryAdmin } from "./registry/admin-ops.ts";
import { AuditLog } from "./registry/audit.ts";
import type { RegistryContext } from "./registry/context.ts";
import { buildRestApp } from "./server/routes.ts";
import { BlobStore } from "./storage/blob-store.ts";
import { BufferPool } from "./storage/buffer-pool.ts";
import { VERSION } from "./version.ts";
import { startWeb } from "./webserver/serve.ts";

/** Blob downloads read 1 MiB at a time; up to 16 idle buffers (16 MiB) stay for the next. */
const READ_BUFFER_BYTES = 1 << 20;
const IDLE_READ_BUFFERS = 16;

export interface McrOptions {
  logger: Logger;
}

export interface McrHandle {
  url: string;
  port: number;
  db: Database;
  ctx: RegistryContext;
  policy: PolicyStore;
  gc: GcRunner;
  admin: RegistryAdmin;
  http: HttpServerHandle;
  grpc?: GrpcServerHandle;
  web?: HttpServerHandle;
  close(): Promise<void>;
}

interface Core {
  db: Database;
  ctx: RegistryContext;
  policy: PolicyStore;
  gc: GcRunner;
  admin: RegistryAdmin;
  mcias: AuthClient;
  metrics: RegistryMetrics;
}

/** Database, blob store, audit, policy, GC and the MCIAS client. */
function buildCore(cfg: McrConfig, log: Logger): Core {
  const db = openDatabase(cfg.database.path, { migrations, logger: log });
  const store = new BlobStore(cfg.storage.path);
  const ctx: RegistryContext = {
    q: new Queries(db),
    store,
    audit: new AuditLog(db),
    now: () => Date.now(),
  };
  const metrics = createMetrics();
  const gc = new GcRunner(
    ctx,
    {
      graceSeconds: cfg.gc.grace_seconds,
      uploadTtlSeconds: cfg.gc.upload_ttl_seconds,
      intervalSeconds: cfg.gc.interval_seconds,
    },
    log,
    metrics,
  );
  const mcias = new AuthClient({
    serverUrl: cfg.mcias.server_url,
    serviceName: cfg.mcias.service_name,
    tags: cfg.mcias.tags,
    logger: log,
    ...(cfg.mcias.ca_cert ? { caCert: cfg.mcias.ca_cert } : {}),
  });
  const policy = new PolicyStore(db);
  return { db, ctx, policy, gc, admin: new RegistryAdmin(ctx, policy, gc), mcias, metrics };
}

/** /v2 handed to the distribution handler before any middleware; everything else to /v1. */
function buildRoot(cfg: McrConfig, core: Core, log: Logger): Hono<AppEnv> {
  const { ctx, policy, mcias, metrics } = core;
  const key = loadOrCreateSigningKey(signingKeyPath(cfg));
  if (key.created)
    log.info({ path: signingKeyPath(cfg) }, "created the registry token signing key");
  const registryTokens = new RegistryTokens(
    key,
    cfg.registry.service,
    cfg.registry.token_ttl_seconds,
  );
  const v2 = createV2Handler({
    ctx,
    policy,
    tokens: new TokenService({
      mcias,
      policy,
      tokens: registryTokens,
      audit: ctx.audit,
      logger: log,
    }),
    gate: { tokens: registryTokens, service: cfg.registry.service, realm: cfg.registry.realm },
    service: cfg.registry.service,
    maxManifestBytes: cfg.storage.max_manifest_bytes,
    logger: log,
    metrics,
    blobReads:
      cfg.storage.blob_reads === "pooled"
        ? { kind: "pooled", pool: new BufferPool(READ_BUFFER_BYTES, IDLE_READ_BUFFERS) }
        : { kind: "stream" },
  });
  const rest = buildRestApp({
    admin: core.admin,
    validator: mcias as TokenValidator,
    logger: log,
    version: VERSION,
    metrics,
  });
  const root = new Hono<AppEnv>();
  const handOver = async (c: Context<AppEnv>) => {
    const node = nodeObjects(c);
    if (!node) return c.text("the registry API needs the Node server", 500);
    await v2(node.incoming, node.outgoing);
    return RESPONSE_ALREADY_SENT;
  };
  root.all("/v2", handOver);
  root.all("/v2/*", handOver);
  root.route("/", rest);
  root.notFound(renderNotFound);
  root.onError(renderError);
  return root;
}

/** The optional listeners: gRPC admin API and web UI; closes what started if one fails. */
async function startExtras(
  cfg: McrConfig,
  core: Core,
  log: Logger,
): Promise<{ grpc?: GrpcServerHandle; web?: HttpServerHandle }> {
  const out: { grpc?: GrpcServerHandle; web?: HttpServerHandle } = {};
  try {
    if (cfg.server.grpc_addr)
      out.grpc = await startGrpc({ cfg, admin: core.admin, validator: core.mcias, logger: log });
    if (cfg.web.listen_addr)
      out.web = await startWeb({
        cfg,
        listen: cfg.web.listen_addr,
        admin: core.admin,
        mcias: core.mcias,
        logger: log,
      });
    return out;
  } catch (err) {
    await out.grpc?.close();
    throw err;
  }
}

export async function startMcr(cfg: McrConfig, opts: McrOptions): Promise<McrHandle> {
  const log = opts.logger;
  const core = buildCore(cfg, log);
  const serveOpts = httpOptionsFromConfig(cfg.server, log);
  let http: HttpServerHandle;
  let extras: { grpc?: GrpcServerHandle; web?: HttpServerHandle };
  try {
    http = await serveHttp(buildRoot(cfg, core, log), serveOpts);
    extras = await startExtras(cfg, core, log).catch(async (err) => {
      await http.close();
      throw err;
    });
  } catch (err) {
    core.db.close();
    await core.mcias.close();
    throw err;
  }
  core.mcias.startRevocationWatch();
  core.gc.start();
  log.info(
    { url: http.url, grpc: extras.grpc?.url, web: extras.web?.url, event: "ready" },
    "mcr started",
  );
  let closed = false;
  return {
    url: http.url,
    port: http.port,
    db: core.db,
    ctx: core.ctx,
    policy: core.policy,
    gc: core.gc,
    admin: core.admin,
    http,
    ...extras,
    async close() {
      if (closed) return;
      closed = true;
      core.gc.stop();
      await Promise.all([http.close(), extras.grpc?.close(), extras.web?.close()]);
      await core.mcias.close();
      core.db.close();
    },
  };
}
