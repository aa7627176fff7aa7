// Starts the MCIAS gRPC listener on mcdsl/grpc with our method map and an in-process validator
// that applies the one caller-token rule (src/auth/caller.ts) to every method.
import {
  type GrpcServerHandle,
  type Identity,
  serveGrpc,
  type ValidationContext,
} from "@metacircular/mcdsl/grpc";
import type { Logger } from "@metacircular/mcdsl/log";
import { listenerFromConfig } from "@metacircular/mcdsl/net";
import type { Core } from "../app.ts";
import { checkCallerToken } from "../auth/caller.ts";
import { VERSION } from "../version.ts";
import type { CallerIdentity } from "./convert.ts";
import { registerHandlers } from "./handlers.ts";
import { METHOD_MAP, OWN_TOKEN_METHODS } from "./method-map.ts";

export function startGrpc(core: Core, listen: string, logger: Logger): Promise<GrpcServerHandle> {
  return serveGrpc({
    service: "mcias",
    version: VERSION,
    register: (router) => registerHandlers(router, core),
    methodMap: METHOD_MAP,
    validator: {
      async validate(token: string, context?: ValidationContext): Promise<Identity | null> {
        const use = context && OWN_TOKEN_METHODS.has(context.method) ? "own-token" : "mcias-api";
        // A refusal carries its stable code (invalid_token, wrong_audience, …) to the client.
        const r = checkCallerToken(core, token, use);
        if (!r.ok) throw r.error;
        const id: CallerIdentity = {
          username: r.identity.username,
          // The interceptor's admin check reads roles; like REST, only humans are admins.
          accountType: r.identity.accountType,
          roles: r.identity.accountType === "human" ? r.identity.roles : [],
          tokenId: r.identity.tokenId,
          expiresAt: new Date(r.identity.expiresAt),
          token: r.identity,
        };
        return id;
      },
    },
    ...listenerFromConfig(core.cfg.server, listen),
    logger,
  });
}
