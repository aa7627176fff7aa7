// serveGrpc options from a service's [server] section: grpc_addr, TLS and the shutdown wait.
import { listenerFromConfig, type ServerListenConfig } from "../net/index.ts";
import type { GrpcServeOptions } from "./serve.ts";

export type GrpcServiceOptions = Omit<GrpcServeOptions, "listen" | "tls" | "shutdownTimeoutMs">;

/** The options to serve `service` on server.grpc_addr; throws when grpc_addr is not set. */
export function grpcOptionsFromConfig(
  server: ServerListenConfig,
  service: GrpcServiceOptions,
): GrpcServeOptions {
  if (!server.grpc_addr) throw new Error("server.grpc_addr is not configured");
  return { ...service, ...listenerFromConfig(server, server.grpc_addr) };
}
