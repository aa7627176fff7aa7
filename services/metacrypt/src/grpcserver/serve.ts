// Starts the gRPC listener (mcdsl serveGrpc: h2c or TLS 1.3, access map enforced).

import { type GrpcServerHandle, grpcOptionsFromConfig, serveGrpc } from "@metacircular/mcdsl/grpc";
import type { TokenValidator } from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import type { AcmeDeps } from "../acme/index.ts";
import type { MetacryptConfig } from "../config.ts";
import type { MetacryptOps } from "../service/ops.ts";
import { VERSION } from "../version.ts";
import { registerAcmeService } from "./acme-handlers.ts";
import { registerHandlers } from "./handlers.ts";
import { grpcAccess } from "./method-map.ts";

export function startGrpc(o: {
  cfg: MetacryptConfig;
  ops: MetacryptOps;
  validator: TokenValidator;
  logger: Logger;
  /** The ACME server (AcmeService answers acme_disabled without it). */
  acme?: AcmeDeps | undefined;
  /** The REST listener's URL: the ACME directory's base without [acme] external_url. */
  apiUrl: string;
}): Promise<GrpcServerHandle> {
  return serveGrpc(
    grpcOptionsFromConfig(o.cfg.server, {
      service: "metacrypt",
      version: VERSION,
      register: (router) => {
        registerHandlers(router, o.ops);
        registerAcmeService(router, o.acme, o.apiUrl);
      },
      methodMap: grpcAccess,
      validator: o.validator,
      logger: o.logger,
    }),
  );
}
