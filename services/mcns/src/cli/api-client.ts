// The REST client mcnsctl uses: bearer token, optional private CA for TLS, AppError on failure.

import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { AppError } from "@metacircular/mcdsl/errors";

export interface ApiClientOptions {
  server: string;
  token?: string | undefined;
  caCert?: string | undefined;
}

export class ApiClient {
  constructor(private readonly o: ApiClientOptions) {}

  request(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = new URL(path, this.o.server);
    const headers: Record<string, string> = { Accept: "application/json" };
    if (this.o.token) headers.Authorization = `Bearer ${this.o.token}`;
    let payload: Buffer | undefined;
    if (body !== undefined) {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      headers["Content-Type"] = typeof body === "string" ? "text/plain" : "application/json";
      payload = Buffer.from(text);
      headers["Content-Length"] = String(payload.length);
    }
    const mod = url.protocol === "https:" ? https : http;
    const opts: https.RequestOptions = { method, headers };
    if (this.o.caCert) opts.ca = readFileSync(this.o.caCert);
    return new Promise((resolve, reject) => {
      const req = mod.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          if (status >= 400) {
            const e = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
            reject(new AppError(status, e?.code ?? "http_error", e?.message ?? `HTTP ${status}`));
            return;
          }
          resolve(json ?? text);
        });
      });
      req.on("error", (err) =>
        reject(new AppError(503, "unreachable", `cannot reach ${url.origin}: ${err.message}`)),
      );
      if (payload) req.write(payload);
      req.end();
    });
  }
}
