// An in-process http-01 responder: a plain HTTP listener on the given port that answers
// GET /.well-known/acme-challenge/<token> with the key authorization set for that token.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Http01Responder {
  port: number;
  set(token: string, keyAuthorization: string): void;
  remove(token: string): void;
  close(): Promise<void>;
}

const PREFIX = "/.well-known/acme-challenge/";

export function startHttp01Responder(port: number, host = "127.0.0.1"): Promise<Http01Responder> {
  const answers = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "";
    const answer =
      req.method === "GET" && path.startsWith(PREFIX)
        ? answers.get(path.slice(PREFIX.length))
        : undefined;
    res.writeHead(answer === undefined ? 404 : 200, { "Content-Type": "text/plain" });
    res.end(answer ?? "");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        set: (t, k) => answers.set(t, k),
        remove: (t) => answers.delete(t),
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      }),
    );
  });
}
