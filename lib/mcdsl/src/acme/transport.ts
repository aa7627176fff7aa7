// HTTP for the ACME client: node:https with an optional extra trust anchor (a private CA such as
// Metacrypt's or Pebble's), bounded bodies and a timeout. No retries here; the client decides.

import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface TransportOptions {
  /** PEM trust anchors for https (default: Node's bundle). */
  ca?: string | undefined;
  timeoutMs?: number | undefined;
}

const MAX_BODY = 4 << 20;

export function send(
  o: TransportOptions,
  method: string,
  url: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<HttpReply> {
  const u = new URL(url);
  const req = u.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = req(
      u,
      {
        method,
        headers: {
          ...headers,
          ...(body === undefined ? {} : { "Content-Length": Buffer.byteLength(body) }),
        },
        timeout: o.timeoutMs ?? 30_000,
        ...(o.ca ? { ca: o.ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) r.destroy(new Error("ACME response too large"));
          else chunks.push(c);
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    r.on("timeout", () => r.destroy(new Error(`ACME request to ${u.host} timed out`)));
    r.on("error", reject);
    r.end(body);
  });
}

export function header(h: HttpReply["headers"], name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
