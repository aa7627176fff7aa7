// gRPC client for the admin API over the Unix socket (h2c on a filesystem socket).
import { connect } from "node:net";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ProxyAdminService } from "@metacircular/proto/mcproxy/v1/admin_pb";

export type AdminClient = Client<typeof ProxyAdminService>;

export function adminClient(socketPath: string): AdminClient {
  const transport = createGrpcTransport({
    baseUrl: "http://localhost",
    nodeOptions: { createConnection: () => connect(socketPath) },
  });
  return createClient(ProxyAdminService, transport);
}
