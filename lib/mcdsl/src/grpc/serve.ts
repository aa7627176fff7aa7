// serveGrpc: ConnectRPC handlers on node:http2 — h2c without TLS, TLS 1.3 with cert/key. The
// gRPC protocol is on so grpc-js and Go clients work; Connect and gRPC-Web are served as well.
// HealthService/Check is registered and public on every server.
import { readFileSync } from "node:fs";
import {
  createSecureServer,
  createServer,
  type Http2Server,
  type ServerHttp2Session,
} from "node:http2";
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { CheckResponseSchema, HealthService } from "@metacircular/proto/common/v1/health_pb";
import type { Logger } from "pino";
import type { TokenValidator } from "../identity/index.ts";
import { closeGracefully, listenTracked, serverUrl, type TlsFiles } from "../net/index.ts";
import { authInterceptor } from "./auth-interceptor.ts";
import { checkMethodMap, type MethodMap, methodKey } from "./method-map.ts";

export interface GrpcServeOptions {
  service: string;
  version: string;
  register(router: ConnectRouter): void;
  methodMap: MethodMap;
  validator?: TokenValidator;
  listen: string;
  tls?: TlsFiles;
  logger: Logger;
  shutdownTimeoutMs?: number;
  /** File mode of a "unix:/path" listener; default 0660. */
  unixMode?: number;
  /** Maximum message size in bytes (default 4 MiB, the gRPC default). */
  maxMessageBytes?: number;
}

export interface GrpcServerHandle {
  url: string;
  host: string;
  port: number;
  server: Http2Server;
  close(): Promise<void>;
}

const HEALTH_CHECK = methodKey(HealthService, "Check");

export async function serveGrpc(opts: GrpcServeOptions): Promise<GrpcServerHandle> {
  checkMethodMap(opts.methodMap);
  const map: MethodMap = { [HEALTH_CHECK]: "public", ...opts.methodMap };
  if (!opts.validator && Object.values(map).some((l) => l !== "public")) {
    throw new Error("serveGrpc: methods need authentication but no validator was given");
  }
  const maxBytes = opts.maxMessageBytes ?? 4 << 20;
  const handler = connectNodeAdapter({
    grpc: true,
    grpcWeb: true,
    connect: true,
    readMaxBytes: maxBytes,
    writeMaxBytes: maxBytes,
    interceptors: [authInterceptor(map, opts.validator, opts.logger)],
    routes(router) {
      router.service(HealthService, {
        check: () =>
          create(CheckResponseSchema, {
            status: "ok",
            service: opts.service,
            version: opts.version,
          }),
      });
      opts.register(router);
    },
  });
  const server = opts.tls
    ? createSecureServer(
        {
          cert: readFileSync(opts.tls.cert),
          key: readFileSync(opts.tls.key),
          minVersion: "TLSv1.3",
          allowHTTP1: false,
        },
        handler,
      )
    : createServer(handler);
  const sessions = new Set<ServerHttp2Session>();
  server.on("session", (s: ServerHttp2Session) => {
    sessions.add(s);
    s.once("close", () => sessions.delete(s));
  });
  server.on("tlsClientError", (err: Error) =>
    opts.logger.debug({ err: err.message }, "TLS handshake refused"),
  );
  const { host, port, sockets } = await listenTracked(server, opts.listen, opts.unixMode);
  const url = serverUrl(opts.tls ? "https" : "http", host, port);
  opts.logger.info({ url, tls: Boolean(opts.tls) }, "grpc server listening");
  let closing: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    server,
    close() {
      // GOAWAY to every session: in-flight calls finish, new ones go elsewhere.
      closing ??= closeGracefully(server, sockets, opts.shutdownTimeoutMs ?? 10_000, () => {
        for (const s of sessions) s.close();
      }).then(() => opts.logger.info({ url }, "grpc server stopped"));
      return closing;
    },
  };
}
