// Real backends for integration tests: HTTPS, plain HTTP/1.1 echo, h2c, and WebSocket echo.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createH2, type Http2Server } from "node:http2";
import { createServer as createHttps } from "node:https";
import type { AddressInfo } from "node:net";

export interface Backend {
  server: Server | Http2Server;
  port: number;
  addr: string;
  close(): Promise<void>;
}

async function listen(server: Server | Http2Server): Promise<Backend> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    addr: `127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        (server as Server).closeAllConnections?.();
        server.close(() => r());
      }),
  };
}

/** Echo handler: answers JSON describing the request, or streams the body back on POST /echo. */
export function echoHandler(name: string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "POST" && req.url === "/echo") {
      res.writeHead(200, { "content-type": "application/octet-stream", trailer: "x-body-sha256" });
      const h = createHash("sha256");
      req.on("data", (d: Buffer) => {
        h.update(d);
        res.write(d);
      });
      req.on("end", () => {
        res.addTrailers({ "x-body-sha256": h.digest("hex") });
        res.end();
      });
      return;
    }
    const body = JSON.stringify({
      backend: name,
      method: req.method,
      url: req.url,
      headers: req.headers,
      httpVersion: req.httpVersion,
    });
    res.writeHead(200, { "content-type": "application/json", "x-backend": name });
    res.end(body);
  };
}

export function httpBackend(name: string): Promise<Backend> {
  const s = createServer(echoHandler(name));
  s.on("upgrade", wsEcho);
  return listen(s);
}

export function httpsBackend(name: string, certPath: string, keyPath: string): Promise<Backend> {
  const s = createHttps(
    { cert: readFileSync(certPath), key: readFileSync(keyPath), ALPNProtocols: ["http/1.1"] },
    echoHandler(name),
  );
  return listen(s as unknown as Server);
}

export function h2cBackend(name: string): Promise<Backend> {
  const s = createH2();
  s.on("request", echoHandler(name) as never);
  return listen(s);
}

/** Minimal RFC 6455 echo: handshake, then echo unmasked text frames (payload < 126 bytes). */
function wsEcho(req: IncomingMessage, socket: import("node:net").Socket): void {
  const key = req.headers["sec-websocket-key"] ?? "";
  const accept = createHash("sha1")
    .update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
    .digest("base64");
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${accept}\r\nx-forwarded-for-seen: ${req.headers["x-forwarded-for"] ?? ""}\r\n\r\n`,
  );
  socket.on("end", () => socket.destroy());
  socket.on("error", () => socket.destroy());
  socket.on("data", (d: Buffer) => {
    const len = (d[1] as number) & 0x7f;
    const mask = d.subarray(2, 6);
    const payload = Buffer.from(d.subarray(6, 6 + len));
    for (let i = 0; i < payload.length; i++)
      payload[i] = (payload[i] as number) ^ (mask[i % 4] as number);
    socket.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]));
  });
}

/** Client side of a WebSocket text frame (masked). */
export function wsFrame(text: string): Buffer {
  const p = Buffer.from(text);
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(p.map((b, i) => b ^ (mask[i % 4] as number)));
  return Buffer.concat([Buffer.from([0x81, 0x80 | p.length]), mask, masked]);
}
