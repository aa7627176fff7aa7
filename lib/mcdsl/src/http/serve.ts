// serveHttp: run a Hono app on node:http (plain) or node:https (TLS 1.3 minimum), with a
// graceful close that waits for in-flight requests and then destroys whatever is left.
import { chmodSync, lstatSync, readFileSync, unlinkSync } from "node:fs";
import { createServer as createHttpServer, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { Env, Hono, Schema } from "hono";
import type { Logger } from "pino";
import { parseListenAddr } from "../config/listen-addr.ts";

export interface TlsFiles {
  /** PEM certificate chain path. */
  cert: string;
  /** PEM private key path. */
  key: string;
}

export interface ServeOptions {
  listen: string;
  tls?: TlsFiles;
  logger: Logger;
  /** How long close() waits for in-flight requests before destroying sockets. Default 10 s. */
  shutdownTimeoutMs?: number;
  /** File mode of a "unix:" socket; default 0660 (the socket's group may connect). */
  unixMode?: number;
}

export interface HttpServerHandle {
  url: string;
  host: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export function urlHost(host: string): string {
  if (host === "" || host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

export const UNIX_PREFIX = "unix:";

async function listenUnix(server: Listener, path: string, mode: number): Promise<void> {
  // A stale socket from a previous run would make listen fail with EADDRINUSE.
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // absent: nothing to clean up
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => {
      server.off("error", reject);
      resolve();
    });
  });
  chmodSync(path, mode);
}

type Listener = Server | import("node:http2").Http2Server;

/**
 * Listens and tracks sockets; shared by the HTTP and gRPC servers. `listen` is a listen address
 * or "unix:/path/to.sock" (created with `unixMode`, default 0660).
 */
export async function listenTracked(
  server: Listener,
  listen: string,
  unixMode = 0o660,
): Promise<{ host: string; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  if (listen.startsWith(UNIX_PREFIX)) {
    await listenUnix(server, listen.slice(UNIX_PREFIX.length), unixMode);
    return { host: listen, port: 0, sockets };
  }
  const { host, port } = parseListenAddr(listen);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host === "" ? undefined : host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  return { host: host === "" ? addr.address : host, port: addr.port, sockets };
}

/** The URL clients use; for a Unix socket, "unix:/path". */
export function serverUrl(scheme: string, host: string, port: number): string {
  return host.startsWith(UNIX_PREFIX) ? host : `${scheme}://${urlHost(host)}:${port}`;
}

/**
 * Stops accepting, lets in-flight work finish, and after `timeoutMs` destroys every socket still
 * open (idle keep-alive, stalled clients) so shutdown always completes.
 */
export function closeGracefully(
  server: { close(cb?: (err?: Error) => void): unknown },
  sockets: Set<Socket>,
  timeoutMs: number,
  beforeClose?: () => void,
): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      for (const s of sockets) s.destroy();
    }, timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    beforeClose?.();
  });
}

export async function serveHttp<E extends Env, S extends Schema, B extends string>(
  app: Hono<E, S, B>,
  opts: ServeOptions,
): Promise<HttpServerHandle> {
  const listener = getRequestListener(app.fetch);
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
