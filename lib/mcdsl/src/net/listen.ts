// Listening and closing, shared by the HTTP and gRPC servers so neither imports the other:
// a listen address or "unix:/path" socket, socket tracking, the URL clients use, and a graceful
// close that always completes.
import { chmodSync, lstatSync, unlinkSync } from "node:fs";
import type { Server } from "node:http";
import type { Http2Server } from "node:http2";
import type { AddressInfo, Socket } from "node:net";
import { parseListenAddr } from "../config/index.ts";

export interface TlsFiles {
  /** PEM certificate chain path. */
  cert: string;
  /** PEM private key path. */
  key: string;
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

type Listener = Server | Http2Server;

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
