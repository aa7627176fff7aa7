// A small JSON-over-HTTP(S) client on node:http/https, so a private CA (caCert) can be trusted
// without a global agent. Keep-alive agents; every call has a timeout and an optional signal.
import { readFileSync } from "node:fs";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

export interface JsonResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export class JsonClient {
  private readonly base: URL;
  private readonly agent: HttpAgent | HttpsAgent;

  constructor(serverUrl: string, caCert?: string) {
    this.base = new URL(serverUrl);
    const secure = this.base.protocol === "https:";
    const ca =
      caCert === undefined
        ? undefined
        : caCert.includes("-----BEGIN")
          ? caCert
          : readFileSync(caCert, "utf8");
    this.agent = secure
      ? new HttpsAgent({ keepAlive: true, ...(ca ? { ca } : {}), minVersion: "TLSv1.3" })
      : new HttpAgent({ keepAlive: true });
  }

  request(
    method: string,
    path: string,
    opts: { body?: unknown; token?: string; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<JsonResponse> {
    const url = new URL(path, this.base);
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            accept: "application/json",
            ...(payload
              ? { "content-type": "application/json", "content-length": payload.length }
              : {}),
            ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          },
          timeout: opts.timeoutMs ?? 10_000,
          ...(opts.signal ? { signal: opts.signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let body: unknown = null;
            try {
              body = text ? JSON.parse(text) : null;
            } catch {
              body = null;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          });
          res.on("error", reject);
        },
      );
      req.on("timeout", () =>
        req.destroy(new Error(`MCIAS request timed out: ${method} ${url.pathname}`)),
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
