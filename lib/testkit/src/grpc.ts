// A gRPC transport for tests that sends `token` (when given) as a bearer token on every call:
// what each service's gRPC tests and authorization matrices build their clients on.
import type { Interceptor, Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";

export function bearerTransport(baseUrl: string, token?: string): Transport {
  const auth: Interceptor = (next) => (req) => {
    if (token) req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
  return createGrpcTransport({ baseUrl, interceptors: [auth] });
}
