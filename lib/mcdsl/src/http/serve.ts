// serveHttp: run a Hono app on node:http (plain) or node:https (TLS 1.3 minimum), with a
// graceful close that waits for in-flight requests and then destroys whatever is left.
import { readFileSync } from "node:fs";
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { getRequestListener } from "@hono/node-server";
import type { Env, Hono, Schema } from "hono";
import type { Logger } from "pino";
import { closeGracefully, listenTracked, serverUrl, type TlsFiles } from "../net/index.ts";

export type { TlsFiles };

export interface ServeOptions {
  listen: string;
  tls?: TlsFiles;
  logger: Logger;
  /** How long close() waits for in-flight requests before destroying sockets. Default 10 s. */
  shutdownTimeoutMs?: number;
  /** File mode of a "unix:" socket; default 0660 (the socket's group may connect). */
  unixMode?: number;
  /**
   * Answers a request before the Hono app when it can (returns true: the response is written);
   * for hot static responses that must skip routing, request ids and the access log.
   */
  fastPath?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface HttpServerHandle {
  url: string;
  host: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export async function serveHttp<E extends Env, S extends Schema, B extends string>(
  app: Hono<E, S, B>,
  opts: ServeOptions,
): Promise<HttpServerHandle> {
  const honoListener = getRequestListener(app.fetch);
  const fast = opts.fastPath;
  const listener = fast
    ? (req: IncomingMessage, res: ServerResponse) => {
        if (!fast(req, res)) void honoListener(req, res);
      }
    : honoListener;
  const server: Server = opts.tls
    ? createHttpsServer(
        {
          cert: readFileSync(opts.tls.cert),
          key: readFileSync(opts.tls.key),
          minVersion: "TLSv1.3",
        },
        listener,
      )
    : createHttpServer(listener);
  server.on("tlsClientError", (err) =>
    opts.logger.debug({ err: err.message }, "TLS handshake refused"),
  );
  // Responses still being produced when close() starts (and requests arriving on kept-alive
  // sockets meanwhile) get "Connection: close", so their sockets end with them instead of idling
  // until the shutdown timeout.
  let stopping = false;
  const inflight = new Set<ServerResponse>();
  const endKeepAlive = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader("Connection", "close");
  };
  server.on("request", (_req, res: ServerResponse) => {
    if (stopping) endKeepAlive(res);
    inflight.add(res);
    res.once("close", () => inflight.delete(res));
  });
  const { host, port, sockets } = await listenTracked(server, opts.listen, opts.unixMode);
  const scheme = opts.tls ? "https" : "http";
  const url = serverUrl(scheme, host, port);
  opts.logger.info({ url, tls: Boolean(opts.tls) }, "http server listening");
  let closing: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    server,
    close() {
      stopping = true;
      for (const res of inflight) endKeepAlive(res);
      closing ??= closeGracefully(server, sockets, opts.shutdownTimeoutMs ?? 10_000, () =>
        server.closeIdleConnections(),
      ).then(() => opts.logger.info({ url }, "http server stopped"));
      return closing;
    },
  };
}
