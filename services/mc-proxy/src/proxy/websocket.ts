// HTTP/1.1 Upgrade (WebSocket) pass-through: replay the request to the backend over a fresh
// connection, then splice both directions; the backend's 101 goes to the client untouched.
import type { IncomingHttpHeaders } from "node:http";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { BackendPool } from "./backend-pool.ts";
import type { ConnMeta } from "./conn-meta.ts";
import { requestHeaders } from "./forward-headers.ts";

/** What an upgrade needs of the request (node:http's IncomingMessage or the lean parser's head). */
export interface UpgradeHead {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
}

export function forwardUpgrade(
  req: UpgradeHead,
  client: Socket,
  head: Buffer,
  meta: ConnMeta,
  pool: BackendPool,
): void {
  const { host, port } = pool.target;
  const backend: Socket = pool.tls
    ? tlsConnect({
        host,
        port,
        ca: pool.ca,
        servername: meta.route.hostname.startsWith("*.") ? undefined : meta.route.hostname,
        ALPNProtocols: ["http/1.1"],
      })
    : netConnect({ host, port });
  const headers = requestHeaders(req.headers, meta.clientAddr, false);
  let text = `${req.method} ${req.url} HTTP/1.1\r\nhost: ${req.headers.host ?? meta.sni ?? ""}\r\nconnection: Upgrade\r\nupgrade: ${req.headers.upgrade ?? "websocket"}\r\n`;
  for (const k in headers) {
    const v = headers[k];
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [String(v)]) text += `${k}: ${one}\r\n`;
  }
  backend.write(`${text}\r\n`);
  if (head.length > 0) backend.write(head);
  const kill = () => {
    client.destroy();
    backend.destroy();
  };
  backend.on("error", () => {
    if (client.writable && backend.bytesRead === 0) {
      client.end("HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    } else kill();
  });
  client.on("error", kill);
  backend.on("close", () => client.destroySoon());
  client.on("close", () => backend.destroy());
  backend.pipe(client);
  client.pipe(backend);
}
