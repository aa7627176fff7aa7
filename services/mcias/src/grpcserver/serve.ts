// Starts the MCIAS gRPC listener on mcdsl/grpc with our method map and an in-process validator.
import { type GrpcServerHandle, type Identity, serveGrpc } from "@metacircular/mcdsl/grpc";
import type { Logger } from "@metacircular/mcdsl/log";
import type { Core } from "../core.ts";
import { VERSION } from "../version.ts";
import { registerHandlers } from "./handlers.ts";
import { METHOD_MAP } from "./method-map.ts";

export function startGrpc(core: Core, listen: string, logger: Logger): Promise<GrpcServerHandle> {
  const s = core.cfg.server;
  return serveGrpc({
    service: "mcias",
    version: VERSION,
    register: (router) => registerHandlers(router, core),
    methodMap: METHOD_MAP,
    validator: {
      async validate(token: string): Promise<Identity | null> {
        const r = core.tokens.validate(token);
        if (!r.valid) return null;
        return {
          username: r.identity.username,
          accountType: r.identity.accountType,
          roles: r.identity.roles,
          tokenId: r.identity.tokenId,
          expiresAt: new Date(r.identity.expiresAt),
        };
      },
    },
    listen,
    ...(s.tls_cert && s.tls_key ? { tls: { cert: s.tls_cert, key: s.tls_key } } : {}),
    logger,
    shutdownTimeoutMs: s.shutdown_timeout_ms,
  });
}
