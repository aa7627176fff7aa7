// Starts the gRPC admin listener on [server] grpc_addr (mcdsl serveGrpc: TLS 1.3 with the
// server's certificate, the access map enforced before any handler).
import { type GrpcServerHandle, grpcOptionsFromConfig, serveGrpc } from "@metacircular/mcdsl/grpc";
import type { TokenValidator } from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import type { McrConfig } from "../config.ts";
import type { RegistryAdmin } from "../registry/admin-ops.ts";
import { VERSION } from "../version.ts";
import { registerHandlers } from "./handlers.ts";
import { grpcAccess } from "./method-map.ts";

export function startGrpc(o: {
  cfg: McrConfig;
  admin: RegistryAdmin;
  validator: TokenValidator;
  logger: Logger;
}): Promise<GrpcServerHandle> {
  return serveGrpc(
    grpcOptionsFromConfig(o.cfg.server, {
      service: "mcr",
      version: VERSION,
      register: (router) => registerHandlers(router, o.admin),
      methodMap: grpcAccess,
      validator: o.validator,
      logger: o.logger,
    }),
  );
}
