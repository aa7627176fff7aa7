// The management API of a running mcns: REST (and gRPC when configured), each kept up by a
// supervisor so a port that cannot be bound never stops DNS. Loaded only when the API is enabled.

import { AuthClient } from "@metacircular/mcdsl/auth";
import {
  type HttpServerHandle,
  httpOptionsFromConfig,
  serveHttp,
  type TokenValidator,
} from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import type { McnsConfig } from "../config.ts";
import type { Responder } from "../engine/responder.ts";
import type { UpstreamForwarder } from "../forward/forwarder.ts";
import { type GrpcHandle, startGrpc } from "../grpcserver/serve.ts";
import { createMetrics } from "../metrics.ts";
import { ApiOps } from "../records/api-ops.ts";
import type { DnsStore } from "../records/dns-store.ts";
import { VERSION } from "../version.ts";
import { type Supervised, superviseListener } from "./api-supervisor.ts";
import { buildRestApp } from "./routes.ts";

export interface ApiHandles {
  rest: Supervised<HttpServerHandle>;
  grpc?: Supervised<GrpcHandle>;
  close(): Promise<void>;
}

export async function startApi(o: {
  cfg: McnsConfig;
  store: DnsStore;
  responder: Responder;
  forwarder: UpstreamForwarder | undefined;
  validator: TokenValidator | undefined;
  log: Logger;
}): Promise<ApiHandles> {
  const { cfg, log } = o;
  let validator = o.validator;
  let authClient: AuthClient | undefined;
  if (!validator) {
    const m = cfg.mcias!;
    const ao: ConstructorParameters<typeof AuthClient>[0] = {
      serverUrl: m.server_url,
      serviceName: m.service_name,
      tags: m.tags,
      logger: log,
    };
    if (m.ca_cert) ao.caCert = m.ca_cert;
    authClient = new AuthClient(ao);
    validator = authClient;
  }
  const ops = new ApiOps(o.store);
  const metrics = createMetrics(o.responder, o.forwarder);
  const app = buildRestApp({
    ops,
    validator,
    logger: log,
    version: VERSION,
    metrics: async () => ({ contentType: metrics.contentType, body: await metrics.metrics() }),
  });
  const serveOpts = httpOptionsFromConfig(cfg.server, log);
  const policy = { initialMs: cfg.api.retry_initial_ms, maxMs: cfg.api.retry_max_ms };
  const rest = await superviseListener("REST API", () => serveHttp(app, serveOpts), log, policy);
  const v = validator;
  const grpc = cfg.server.grpc_addr
    ? await superviseListener(
        "gRPC API",
        () => startGrpc({ cfg, ops, validator: v, logger: log }),
        log,
        policy,
      )
    : undefined;
  const handles: ApiHandles = {
    rest,
    async close() {
      await grpc?.close();
      await rest.close();
      await authClient?.close();
    },
  };
  if (grpc) handles.grpc = grpc;
  return handles;
}
