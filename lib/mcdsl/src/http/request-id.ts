// X-Request-Id: reuse a well-formed incoming id (so a trace spans MC-Proxy and the service),
// otherwise mint one; echo it on the response and bind it to the request logger.
import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import { nodeObjects } from "./body.ts";
import type { AppEnv } from "./env.ts";

export const REQUEST_ID_HEADER = "X-Request-Id";
const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestId(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header(REQUEST_ID_HEADER);
    const id = incoming && VALID.test(incoming) ? incoming : randomUUID();
    c.set("requestId", id);
    c.set("log", logger.child({ reqId: id }));
    const node = nodeObjects(c);
    if (node) node.outgoing.setHeader(REQUEST_ID_HEADER, id);
    else c.header(REQUEST_ID_HEADER, id);
    await next();
  };
}

/** One line per request. The query string is left out: it can carry codes and tokens. */
export function accessLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const start = performance.now();
    await next();
    c.get("log").info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round((performance.now() - start) * 10) / 10,
        user: c.get("identity")?.username,
      },
      "request",
    );
  };
}
