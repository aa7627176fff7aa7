// A real gRPC backend (ConnectRPC with the gRPC protocol on node:http2), plain h2c or TLS.
import { readFileSync } from "node:fs";
import {
  createSecureServer,
  createServer,
  type Http2SecureServer,
  type Http2Server,
} from "node:http2";
import type { AddressInfo } from "node:net";
import { Code, ConnectError } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { EchoService } from "@metacircular/proto/common/v1/echo_pb";

export async function grpcBackend(
  name: string,
  tls?: { cert: string; key: string },
): Promise<{ port: number; addr: string; close(): Promise<void> }> {
  const handler = connectNodeAdapter({
    grpc: true,
    connect: false,
    grpcWeb: false,
    routes(router) {
      router.service(EchoService, {
        publicEcho: (req, ctx) => ({
          message: `${name}:${req.message}`,
          caller: ctx.requestHeader.get("x-forwarded-for") ?? "",
        }),
        authedEcho: () => {
          throw new ConnectError("nope", Code.PermissionDenied);
        },
        adminEcho: (req) => ({ message: req.message }),
        undeclaredEcho: (req) => ({ message: req.message }),
        async *streamEcho(req) {
          for (let i = 0; i < req.repeat; i++) yield { message: `${req.message}#${i}` };
        },
      });
    },
  });
  const server: Http2Server | Http2SecureServer = tls
    ? createSecureServer(
        { cert: readFileSync(tls.cert), key: readFileSync(tls.key), ALPNProtocols: ["h2"] },
        handler,
      )
    : createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    addr: `127.0.0.1:${port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
