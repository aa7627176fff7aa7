// The admin gRPC server on a Unix socket (mode 0660: the socket's group may administer the
// proxy). Speaks gRPC and Connect over h2c. Methods not in the method map are refused.
import { chmodSync, existsSync, unlinkSync } from "node:fs";
import { createServer, type Http2Server, type ServerHttp2Session } from "node:http2";
import { Code, ConnectError, type ConnectRouter, type Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { toConnectError } from "@metacircular/mcdsl/errors";
import type { MethodMap } from "@metacircular/mcdsl/grpc";
import type { Logger } from "pino";

export interface UnixAdminServer {
  server: Http2Server;
  close(): Promise<void>;
}

export function guard(map: MethodMap, logger: Logger): Interceptor {
  return (next) => async (req) => {
    const key = `/${req.service.typeName}/${req.method.name}`;
    if (!(key in map)) throw new ConnectError("method not allowed", Code.PermissionDenied);
    try {
      return await next(req);
    } catch (e) {
      const ce = toConnectError(e);
      if (ce.code === Code.Internal && !(e instanceof ConnectError))
        logger.error({ err: (e as Error).message, method: key }, "admin call failed");
      throw ce;
    }
  };
}

export async function serveUnixAdmin(
  path: string,
  map: MethodMap,
  register: (r: ConnectRouter) => void,
  logger: Logger,
): Promise<UnixAdminServer> {
  if (existsSync(path)) unlinkSync(path);
  const handler = connectNodeAdapter({
    grpc: true,
    connect: true,
    grpcWeb: false,
    interceptors: [guard(map, logger)],
    routes: register,
  });
  const server = createServer(handler);
  const sessions = new Set<ServerHttp2Session>();
  server.on("session", (s: ServerHttp2Session) => {
    sessions.add(s);
    s.once("close", () => sessions.delete(s));
  });
  await new Promise<void>((res, rej) => {
    server.once("error", rej);
    server.listen(path, () => {
      server.off("error", rej);
      res();
    });
  });
  chmodSync(path, 0o660);
  logger.info({ socket: path }, "admin API listening");
  return {
    server,
    close: () =>
      new Promise<void>((res) => {
        for (const s of sessions) s.close();
        server.close(() => res());
        setTimeout(() => {
          for (const s of sessions) s.destroy();
        }, 2_000).unref();
      }),
  };
}
