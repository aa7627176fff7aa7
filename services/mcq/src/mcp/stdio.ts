// MCP over stdio (`mcq mcp`): the same tools, each call going to the MCQ REST API with the
// caller's MCIAS token. The token is checked once before serving, so a missing, expired or
// foreign token ends the process with a clear error instead of failing every tool call.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ApiClient, type ApiClientOptions } from "../cli/api-client.ts";
import { VERSION } from "../version.ts";
import { buildMcpServer } from "./server.ts";

export async function serveStdio(o: ApiClientOptions): Promise<void> {
  const api = new ApiClient(o);
  await api.list({ limit: 1 }); // throws unauthenticated (401) for a bad token
  const server = buildMcpServer(api, VERSION);
  await server.connect(new StdioServerTransport());
}
