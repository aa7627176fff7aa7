// A node's agent over gRPC with the caller's token; the node's fallback addresses are tried in
// order when an address cannot be reached (UNAVAILABLE), never after the agent has answered.
import { readFileSync } from "node:fs";
import {
  type Client,
  Code,
  ConnectError,
  createClient,
  type Interceptor,
} from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ERROR_CODE_METADATA } from "@metacircular/mcdsl/errors";
import { AgentService } from "@metacircular/proto/mcp/v1/agent_pb";
import type { NodeConfig } from "./cli-config.ts";

export type AgentApi = Client<typeof AgentService>;

function clientFor(url: string, node: NodeConfig, token: string | undefined): AgentApi {
  const bearer: Interceptor = (next) => (req) => {
    if (token) req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
  const transport = createGrpcTransport({
    baseUrl: url,
    interceptors: [bearer],
    ...(node.ca_cert ? { nodeOptions: { ca: readFileSync(node.ca_cert) } } : {}),
  });
  return createClient(AgentService, transport);
}

export async function onNode<T>(
  node: NodeConfig,
  token: string | undefined,
  fn: (api: AgentApi, url: string) => Promise<T>,
): Promise<T> {
  const urls = [node.address, ...node.fallback];
  let last: unknown;
  for (const url of urls) {
    try {
      return await fn(clientFor(url, node, token), url);
    } catch (e) {
      // An answer from the agent carries its stable error code; a dead address does not.
      const answered = e instanceof ConnectError && e.metadata.has(ERROR_CODE_METADATA);
      if (!(e instanceof ConnectError && e.code === Code.Unavailable) || answered) throw e;
      last = e;
    }
  }
  throw last;
}
