// The MCP server driven by the SDK's own client, over Streamable HTTP (/mcp on the running
// service) and over stdio (`mcq mcp` as a child process calling the REST API): push, list,
// search, read, mark, resources; a connection without a valid token for mcq is refused.
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { REPO_ROOT, tempDirFor } from "@metacircular/testkit";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { startStack } from "./helpers/stack.ts";

const ENTRY = resolve(import.meta.dirname, "../src/cmd/mcq.ts");

function httpTransport(url: string, token: string): Transport {
  return new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
}

function stdioTransport(url: string, token: string, configHome: string): StdioClientTransport {
  return new StdioClientTransport({
    command: process.execPath,
    args: ["--import", "tsx", ENTRY, "mcp", "--server", url, "--token", token],
    cwd: REPO_ROOT,
    env: { ...(process.env as Record<string, string>), XDG_CONFIG_HOME: configHome },
    stderr: "pipe",
  });
}

function text(r: unknown): string {
  const c = (r as { content: Array<{ type: string; text: string }> }).content;
  return c.map((x) => x.text).join("");
}

async function exercise(client: Client, slug: string): Promise<void> {
  const tools = (await client.listTools()).tools.map((t) => t.name).sort();
  assert.deepEqual(tools, [
    "list_documents",
    "mark_read",
    "mark_unread",
    "push_document",
    "read_document",
    "search_documents",
  ]);
  const pushed = await client.callTool({
    name: "push_document",
    arguments: { slug, body: `# ${slug}\n\nThe quokka report.`, tags: ["mcp"] },
  });
  assert.equal(pushed.isError, undefined, text(pushed));
  assert.equal(JSON.parse(text(pushed)).created, true);
  const listed = JSON.parse(
    text(await client.callTool({ name: "list_documents", arguments: { unread: true } })),
  );
  assert.ok(listed.some((d: { slug: string }) => d.slug === slug));
  const found = JSON.parse(
    text(await client.callTool({ name: "search_documents", arguments: { query: "quokka" } })),
  );
  assert.ok(found.some((d: { slug: string }) => d.slug === slug));
  const read = JSON.parse(
    text(await client.callTool({ name: "read_document", arguments: { slug } })),
  );
  assert.equal(read.body, `# ${slug}\n\nThe quokka report.`);
  assert.equal(read.html, undefined);
  const marked = JSON.parse(
    text(await client.callTool({ name: "mark_read", arguments: { slug } })),
  );
  assert.equal(marked.read, true);
  const missing = await client.callTool({ name: "read_document", arguments: { slug: "nope" } });
  assert.equal(missing.isError, true);
  assert.match(text(missing), /document_not_found/);
  const resources = (await client.listResources()).resources.map((r) => r.uri);
  assert.ok(resources.includes(`mcq://documents/${slug}`));
  const res = await client.readResource({ uri: `mcq://documents/${slug}` });
  assert.match(String((res.contents[0] as { text: string }).text), /quokka/);
}

test("MCP over Streamable HTTP and stdio with the SDK client; bad tokens refused", async (t) => {
  const s = await startStack(t);
  const alice = await s.token("alice");
  const home = join(tempDirFor(t, "mcq-mcp-").path, "config");

  const http = new Client({ name: "test", version: "1" });
  await http.connect(httpTransport(s.url, alice));
  try {
    await exercise(http, "over-http");
  } finally {
    await http.close();
  }

  const stdio = new Client({ name: "test", version: "1" });
  await stdio.connect(stdioTransport(s.url, alice, home));
  try {
    await exercise(stdio, "over-stdio");
  } finally {
    await stdio.close();
  }
  const pushedBy = (await (await s.api("GET", "/v1/documents/over-stdio", alice)).json()) as {
    pushed_by: string;
  };
  assert.equal(pushedBy.pushed_by, "alice");

  const foreign = await s.token("alice", "mcns");
  await assert.rejects(
    new Client({ name: "t", version: "1" }).connect(httpTransport(s.url, foreign)),
    /unauthenticated/,
  );
  const refused = stdioTransport(s.url, foreign, home);
  let stderr = "";
  refused.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  await assert.rejects(new Client({ name: "t", version: "1" }).connect(refused));
  assert.match(stderr, /unauthenticated/);
});
