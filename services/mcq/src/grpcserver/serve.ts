// Starts the gRPC listener (mcdsl serveGrpc: h2c or TLS 1.3, access map enforced) when
// [server] grpc_addr is set.

import { type GrpcServerHandle, grpcOptionsFromConfig, serveGrpc } from "@metacircular/mcdsl/grpc";
import type { TokenValidator } from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import type { McqConfig } from "../config.ts";
import { VERSION } from "../version.ts";
import { type GrpcDeps, registerHandlers } from "./handlers.ts";
import { grpcAccess } from "./method-map.ts";

export function startGrpc(o: {
  cfg: McqConfig;
  deps: GrpcDeps;
  validator: TokenValidator;
  logger: Logger;
}): Promise<GrpcServerHandle> {
  // A document and its rendered HTML travel in one message: room for both, never under the
  // gRPC default of 4 MiB.
  const maxMessageBytes = Math.max(4 << 20, o.cfg.documents.max_bytes * 4 + (64 << 10));
  return serveGrpc({
    ...grpcOptionsFromConfig(o.cfg.server, {
      service: "mcq",
      version: VERSION,
      register: (router) => registerHandlers(router, o.deps),
      methodMap: grpcAccess,
      validator: o.validator,
      logger: o.logger,
    }),
    maxMessageBytes,
  });
}
