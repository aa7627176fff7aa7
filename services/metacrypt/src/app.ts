// Assembles a metacrypt instance: database → barrier (sealed at start) → mount table with the
// engine types → policy, audit → the use cases → REST (and gRPC when configured). Closing seals
// first (keys leave memory), then stops the listeners and the database.

import { AuthClient } from "@metacircular/mcdsl/auth";
import { type Database, openDatabase } from "@metacircular/mcdsl/db";
import type { GrpcServerHandle } from "@metacircular/mcdsl/grpc";
import {
  type HttpServerHandle,
  httpOptionsFromConfig,
  serveHttp,
  type TokenValidator,
} from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import { buildAcme } from "./acme/index.ts";
import { AuditLog } from "./audit/audit-log.ts";
import { Barrier } from "./barrier/index.ts";
import { caEngineType } from "./ca/ca-engine.ts";
import { clearIssuerCache } from "./ca/issuers.ts";
import type { MetacryptConfig } from "./config.ts";
import { migrations } from "./db/migrations.ts";
import type { EngineType } from "./engines/engine.ts";
import { startGrpc } from "./grpcserver/serve.ts";
import { MountTable } from "./mounts/mount-table.ts";
import { PolicyStore } from "./policy/policy-store.ts";
import { buildRestApp } from "./server/routes.ts";
import { MetacryptOps } from "./service/ops.ts";
import { sshCaEngine } from "./ssh-ca/ssh-ca-engine.ts";
import { transitEngine } from "./transit/transit-engine.ts";
import { userCryptoEngine } from "./user-crypto/user-crypto-engine.ts";
import { VERSION } from "./version.ts";
import { webOptions } from "./webserver/options.ts";

export interface MetacryptOptions {
  logger: Logger;
  /** Token validator; default an MCIAS AuthClient from [mcias] (audience = service_name). */
  validator?: TokenValidator;
}

export interface MetacryptHandle {
  api: HttpServerHandle;
  grpc: GrpcServerHandle | undefined;
  ops: MetacryptOps;
  db: Database;
  close(): Promise<void>;
}

/** The engine types this build knows, by type name. */
export function engineTypes(publicBaseUrl?: string): Map<string, EngineType> {
  const ca = caEngineType(publicBaseUrl);
  return new Map(
    [ca, sshCaEngine, transitEngine, userCryptoEngine].map((e) => [e.type, e] as const),
  );
}

export function buildOps(cfg: MetacryptConfig, db: Database): MetacryptOps {
  const barrier = new Barrier(db, {
    memory_kib: cfg.seal.argon2_memory_kib,
    time_cost: cfg.seal.argon2_time,
    parallelism: cfg.seal.argon2_parallelism,
  });
  barrier.onSeal(clearIssuerCache);
  const mounts = new MountTable(barrier, engineTypes(cfg.ca.public_base_url));
  const policy = new PolicyStore(() => barrier.systemStore());
  return new MetacryptOps(barrier, mounts, policy, new AuditLog(db));
}

function authClient(cfg: MetacryptConfig, log: Logger): AuthClient {
  const m = cfg.mcias;
  const o: ConstructorParameters<typeof AuthClient>[0] = {
    serverUrl: m.server_url,
    serviceName: m.service_name,
    tags: m.tags,
    logger: log,
  };
  if (m.ca_cert) o.caCert = m.ca_cert;
  return new AuthClient(o);
}

export async function startMetacrypt(
  cfg: MetacryptConfig,
  opts: MetacryptOptions,
): Promise<MetacryptHandle> {
  const log = opts.logger;
  const db = openDatabase(cfg.database.path, { migrations, logger: log });
  const ops = buildOps(cfg, db);
  const client = opts.validator ? undefined : authClient(cfg, log);
  const validator = opts.validator ?? client!;
  const web = webOptions(cfg, log);
  const acme = cfg.acme.enabled ? buildAcme(cfg.acme, db, ops, log) : undefined;
  const app = buildRestApp({ ops, validator, logger: log, version: VERSION, web, acme });
  const serveOpts = httpOptionsFromConfig(cfg.server, log);
  const api = await serveHttp(app, serveOpts);
  const grpc = cfg.server.grpc_addr
    ? await startGrpc({ cfg, ops, validator, logger: log, acme, apiUrl: api.url }).catch(
        async (e: unknown) => {
          await api.close();
          db.close();
          throw e;
        },
      )
    : undefined;
  log.info({ api: api.url, grpc: grpc?.url, ...ops.status() }, "metacrypt started");
  let closed = false;
  return {
    api,
    grpc,
    ops,
    db,
    async close() {
      if (closed) return;
      closed = true;
      ops.barrier.seal();
      await grpc?.close();
      await api.close();
      await client?.close();
      db.close();
    },
  };
}
