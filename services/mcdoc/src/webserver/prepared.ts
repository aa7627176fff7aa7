// Answering with a prepared response (a page, folder or image of a snapshot): ETag and
// Cache-Control, 304 for a matching If-None-Match, and on Node the bytes go straight onto the
// ServerResponse (no WHATWG Response is built on the hot path).
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { type AppEnv, nodeObjects } from "@metacircular/mcdsl/http";
import type { Context } from "hono";
import type { Prepared } from "../site/snapshot.ts";

export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((t) => {
    const v = t.trim();
    return v === "*" || v === etag || v === `W/${etag}`;
  });
}

export interface ServedCounters {
  ok: { inc(): void };
  notModified: { inc(): void };
}

export function sendPrepared(
  c: Context<AppEnv>,
  p: Prepared,
  cache: string,
  counters: ServedCounters,
  extra: Record<string, string> = {},
): Response {
  const fresh = etagMatches(c.req.header("if-none-match"), p.etag);
  (fresh ? counters.notModified : counters.ok).inc();
  const headers: Record<string, string> = { etag: p.etag, "cache-control": cache, ...extra };
  const node = nodeObjects(c);
  if (!node) {
    if (fresh) return c.body(null, 304, headers);
    return c.body(p.body as Uint8Array<ArrayBuffer>, 200, { ...headers, "content-type": p.type });
  }
  const out = node.outgoing;
  for (const [k, v] of Object.entries(headers)) out.setHeader(k, v);
  if (fresh) out.writeHead(304).end();
  else {
    out.setHeader("content-type", p.type);
    out.setHeader("content-length", p.body.length);
    out.writeHead(200).end(c.req.method === "HEAD" ? undefined : p.body);
  }
  return RESPONSE_ALREADY_SENT;
}
