// The MCQ Model Context Protocol server (official TypeScript SDK): tools to push, list, search,
// read and mark documents, and every document as a resource (mcq://documents/{slug}, the
// markdown source). Transport-free: http.ts serves it over Streamable HTTP, stdio.ts over stdio.
import { AppError } from "@metacircular/mcdsl/errors";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { McqOps } from "./ops.ts";

function ok(value: unknown): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value, null, 2) }] };
}

/** Tool failures are answered as tool errors with the stable code, not protocol errors. */
async function tool(run: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    return ok(await run());
  } catch (e) {
    const err = e instanceof AppError ? e : AppError.internal();
    return { isError: true, content: [{ type: "text", text: `${err.message} (${err.code})` }] };
  }
}

const slug = z.string().describe("document slug (a-z, 0-9, '.', '_', '-')");

function registerTools(s: McpServer, ops: McqOps): void {
  s.registerTool(
    "push_document",
    {
      description:
        "Push markdown as a document (re-pushing a slug replaces it and marks it unread)",
      inputSchema: {
        slug,
        body: z.string().describe("markdown"),
        title: z.string().optional(),
        tags: z.array(z.string()).optional(),
      },
    },
    (a) => tool(() => ops.put(a.slug, { body: a.body, title: a.title, tags: a.tags })),
  );
  s.registerTool(
    "list_documents",
    {
      description: "List documents, unread first",
      inputSchema: {
        unread: z.boolean().optional(),
        pushed_by: z.string().optional(),
        tag: z.string().optional(),
      },
    },
    (a) => tool(() => ops.list({ unread: a.unread, pushedBy: a.pushed_by, tag: a.tag })),
  );
  s.registerTool(
    "search_documents",
    { description: "Full-text search over titles and bodies", inputSchema: { query: z.string() } },
    (a) => tool(() => ops.list({ q: a.query })),
  );
  s.registerTool(
    "read_document",
    { description: "A document's markdown and metadata", inputSchema: { slug } },
    (a) =>
      tool(async () => {
        const { html: _html, ...rest } = await ops.get(a.slug);
        return rest;
      }),
  );
  s.registerTool("mark_read", { description: "Mark a document read", inputSchema: { slug } }, (a) =>
    tool(() => ops.markRead(a.slug)),
  );
  s.registerTool(
    "mark_unread",
    { description: "Mark a document unread", inputSchema: { slug } },
    (a) => tool(() => ops.markUnread(a.slug)),
  );
}

function registerResources(s: McpServer, ops: McqOps): void {
  const template = new ResourceTemplate("mcq://documents/{slug}", {
    list: async () => ({
      resources: (await ops.list({})).map((d) => ({
        uri: `mcq://documents/${d.slug}`,
        name: d.slug,
        title: d.title,
        mimeType: "text/markdown",
      })),
    }),
  });
  s.registerResource(
    "document",
    template,
    { description: "A pushed document's markdown", mimeType: "text/markdown" },
    async (uri, vars) => {
      const d = await ops.get(String(vars.slug));
      return { contents: [{ uri: uri.href, mimeType: "text/markdown", text: d.body }] };
    },
  );
}

export function buildMcpServer(ops: McqOps, version: string): McpServer {
  const s = new McpServer({ name: "mcq", version });
  registerTools(s, ops);
  registerResources(s, ops);
  return s;
}
