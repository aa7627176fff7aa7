// Starts the gRPC listener (mcdsl serveGrpc: h2c or TLS 1.3, access map enforced).

import { type GrpcServerHandle, grpcOptionsFromConfig, serveGrpc } from "@metacircular/mcdsl/grpc";
import type { TokenValidator } from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import type { McnsConfig } from "../config.ts";
import type { ApiOps } from "../records/api-ops.ts";
import { VERSION } from "../version.ts";
import { registerHandlers } from "./handlers.ts";
import { grpcAccess } from "./method-map.ts";

export type GrpcHandle = GrpcServerHandle;

export function startGrpc(o: {
  cfg: McnsConfig;
  ops: ApiOps;
  validator: TokenValidator;
  logger: Logger;
}): Promise<GrpcServerHandle> {
  return serveGrpc(
    grpcOptionsFromConfig(o.cfg.server, {
      service: "mcns",
      version: VERSION,
      register: (router) => registerHandlers(router, o.ops),
      methodMap: grpcAccess,
      validator: o.validator,
      logger: o.logger,
    }),
  );
}
