// MCP over Streamable HTTP at /mcp, stateless (one server per request, JSON answers), for the
// caller the access map authenticated with an MCIAS token issued for mcq. No OAuth metadata is
// advertised: clients send "Authorization: Bearer <token>" themselves.
import { type AppEnv, requireIdentity } from "@metacircular/mcdsl/http";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Hono } from "hono";
import type { Documents } from "../documents/documents.ts";
import { localOps } from "./ops.ts";
import { buildMcpServer } from "./server.ts";

export function registerMcpRoute(app: Hono<AppEnv>, docs: Documents, version: string): void {
  app.all("/mcp", async (c) => {
    const server = buildMcpServer(localOps(docs, requireIdentity(c)), version);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      await server.close();
    }
  });
}
