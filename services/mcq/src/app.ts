// Assembles an mcq instance: database (migrations, FTS5) → markdown renderer (a worker thread)
// → the use cases (documents, sessions, health) → one HTTP listener for the REST API, MCP over
// Streamable HTTP and the web UI, and a gRPC listener when [server] grpc_addr is set. Plain HTTP
// behind an MC-Proxy L7 route unless [server] tls_cert/tls_key are set (TLS 1.3).

import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AuthClient } from "@metacircular/mcdsl/auth";
import { type Database, openDatabase } from "@metacircular/mcdsl/db";
import type { GrpcServerHandle } from "@metacircular/mcdsl/grpc";
import {
  type AppEnv,
  type HttpServerHandle,
  serveHttp,
  type TokenValidator,
} from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import { MarkdownRenderer } from "@metacircular/mcdsl/markdown";
import { ssoClientOptions } from "@metacircular/mcdsl/sso";
import type { Hono } from "hono";
import { Health } from "./admin/health.ts";
import { Sessions } from "./auth/sessions.ts";
import type { McqConfig } from "./config.ts";
import { DocumentStore } from "./db/document-store.ts";
import { migrations } from "./db/migrations.ts";
import { Documents } from "./documents/documents.ts";
import { startGrpc } from "./grpcserver/serve.ts";
import { PACKAGE_ROOT } from "./package-root.ts";
import { type AppDeps, buildApp } from "./server/app-routes.ts";
import { VERSION } from "./version.ts";

export interface McqOptions {
  logger: Logger;
  /** Token validator; default an MCIAS AuthClient for [mcias] service_name. */
  validator?: TokenValidator;
}

export interface McqHandle {
  http: HttpServerHandle;
  /** The gRPC listener, when [server] grpc_addr is set. */
  grpc: GrpcServerHandle | undefined;
  /** The Hono app (for the access map's completeness test). */
  app: Hono<AppEnv>;
  db: Database;
  documents: Documents;
  close(): Promise<void>;
}

/** The bundled worker entry next to the bundle (dist/), else the mcdsl source worker. */
function workerFile(): string | undefined {
  const bundled = join(PACKAGE_ROOT, "dist/mcq-render-worker.mjs");
  return import.meta.url.endsWith(".mjs") && existsSync(bundled) ? bundled : undefined;
}

function sessionKey(cfg: McqConfig, log: Logger): Buffer {
  const file = cfg.web.session_key_file;
  if (!file) {
    log.warn("no [web] session_key_file: sessions end when mcq restarts");
    return randomBytes(32);
  }
  const key = readFileSync(file);
  if (key.length < 32) throw new Error(`${file}: a session key needs at least 32 bytes`);
  return key;
}

function webDeps(cfg: McqConfig, log: Logger): AppDeps["web"] {
  if (!cfg.web.enabled) return undefined;
  const web: NonNullable<AppDeps["web"]> = {
    mciasUrl: cfg.mcias.server_url,
    serviceName: cfg.mcias.service_name,
    sessionKeys: sessionKey(cfg, log),
    sessionTtlSeconds: cfg.web.session_ttl_seconds,
    secure: cfg.web.secure_cookies,
  };
  if (cfg.mcias.ca_cert) web.caCert = cfg.mcias.ca_cert;
  return { ...web, ...ssoClientOptions(cfg.sso) };
}

export async function startMcq(cfg: McqConfig, opts: McqOptions): Promise<McqHandle> {
  const log = opts.logger;
  const db = openDatabase(cfg.database.path, { migrations, logger: log });
  const wf = workerFile();
  const renderer = new MarkdownRenderer({
    hugeBytes: cfg.documents.huge_bytes,
    ...(wf ? { workerFile: wf } : {}),
  });
  renderer.start(); // Shiki loads on the worker while the listener comes up
  const m = cfg.mcias;
  // Logins go to MCIAS (for the audience mcq) even when tests validate tokens another way.
  const auth = new AuthClient({
    serverUrl: m.server_url,
    serviceName: m.service_name,
    tags: m.tags,
    logger: log,
    ...(m.ca_cert ? { caCert: m.ca_cert } : {}),
  });
  const validator = opts.validator ?? auth;
  const documents = new Documents(new DocumentStore(db), renderer, {
    pushers: cfg.documents.pushers,
    maxBytes: cfg.documents.max_bytes,
  });
  const sessions = new Sessions(auth);
  const health = new Health(() => db.prepare("SELECT 1").get(), VERSION);
  const web = webDeps(cfg, log);
  const app = buildApp({
    docs: documents,
    sessions,
    health,
    validator,
    logger: log,
    version: VERSION,
    maxBytes: cfg.documents.max_bytes,
    mcpHttp: cfg.mcp.http,
    ...(web ? { web } : {}),
  });
  const serveOpts: Parameters<typeof serveHttp>[1] = {
    listen: cfg.server.listen_addr,
    logger: log,
    shutdownTimeoutMs: cfg.server.shutdown_timeout_ms,
  };
  if (cfg.server.tls_cert && cfg.server.tls_key)
    serveOpts.tls = { cert: cfg.server.tls_cert, key: cfg.server.tls_key };
  const http = await serveHttp(app, serveOpts);
  const grpc = cfg.server.grpc_addr
    ? await startGrpc({ cfg, deps: { docs: documents, sessions, health }, validator, logger: log })
    : undefined;
  log.info({ url: http.url, grpc: grpc?.url, web: Boolean(web), mcp: cfg.mcp.http }, "mcq started");
  return {
    http,
    grpc,
    app,
    db,
    documents,
    async close() {
      await http.close();
      await grpc?.close();
      await renderer.close();
      await auth.close();
      db.close();
    },
  };
}
