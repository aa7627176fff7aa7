// Starts the gRPC listener (mcdsl serveGrpc: h2c or TLS 1.3, access map enforced).

import { type GrpcServerHandle, serveGrpc } from "@metacircular/mcdsl/grpc";
import type { TokenValidator } from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import type { MetacryptConfig } from "../config.ts";
import type { MetacryptOps } from "../service/ops.ts";
import { VERSION } from "../version.ts";
import { registerHandlers } from "./handlers.ts";
import { grpcAccess } from "./method-map.ts";

export function startGrpc(o: {
  cfg: MetacryptConfig;
  ops: MetacryptOps;
  validator: TokenValidator;
  logger: Logger;
}): Promise<GrpcServerHandle> {
  const opts: Parameters<typeof serveGrpc>[0] = {
    service: "metacrypt",
    version: VERSION,
    register: (router) => registerHandlers(router, o.ops),
    methodMap: grpcAccess,
    validator: o.validator,
    listen: o.cfg.server.grpc_addr!,
    logger: o.logger,
    shutdownTimeoutMs: o.cfg.server.shutdown_timeout_ms,
  };
  if (o.cfg.server.tls_cert && o.cfg.server.tls_key)
    opts.tls = { cert: o.cfg.server.tls_cert, key: o.cfg.server.tls_key };
  return serveGrpc(opts);
}
