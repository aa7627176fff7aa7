// Request bodies without the Web-streams detour. On @hono/node-server the Node request is
// available as `c.env.incoming`; reading it directly avoids building a WHATWG Request (an
// AbortSignal, a ReadableStream and undici bookkeeping per request), which dominated the cost
// of small JSON calls. Outside Node (app.request in tests) the standard Request path is used.
// `bodyLimitMiddleware` refuses a declared Content-Length over the limit before any byte is
// read; bodies without one (chunked) are counted as they arrive by `readBodyText`, and by
// hono's own limiter for handlers that read through c.req.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError, errorBody } from "../errors/index.ts";

const LIMIT_KEY = "mcdslBodyLimit";

/** The Node request/response behind a context, when served by @hono/node-server. */
export function nodeObjects(
  c: Context,
): { incoming: IncomingMessage; outgoing: ServerResponse } | undefined {
  const env = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
  return env?.incoming && env.outgoing
    ? { incoming: env.incoming, outgoing: env.outgoing }
    : undefined;
}

function tooLarge(max: number): AppError {
  return new AppError(413, "payload_too_large", `request body exceeds ${max} bytes`);
}

export function bodyLimitMiddleware(maxSize: number): MiddlewareHandler {
  const chunked = bodyLimit({
    maxSize,
    onError: (c) =>
      c.json(errorBody("payload_too_large", `request body exceeds ${maxSize} bytes`), 413),
  });
  return async (c, next) => {
    (c as Context<{ Variables: Record<string, unknown> }>).set(LIMIT_KEY, maxSize);
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      if (!/^\d{1,15}$/.test(length) || Number(length) > maxSize)
        return c.json(errorBody("payload_too_large", `request body exceeds ${maxSize} bytes`), 413);
      return next();
    }
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return chunked(c, next);
  };
}

/** The whole request body as bytes, within the app's body limit. */
export async function readBodyBytes(c: Context): Promise<Buffer> {
  const node = nodeObjects(c);
  if (!node || node.incoming.readableEnded) return Buffer.from(await c.req.arrayBuffer());
  const max =
    ((c as Context<{ Variables: Record<string, unknown> }>).get(LIMIT_KEY) as number | undefined) ??
    Number.POSITIVE_INFINITY;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of node.incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw tooLarge(max);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

/** The whole request body as UTF-8 text, within the app's body limit. */
export async function readBodyText(c: Context): Promise<string> {
  const node = nodeObjects(c);
  if (!node || node.incoming.readableEnded) return c.req.text();
  return (await readBodyBytes(c)).toString("utf8");
}
