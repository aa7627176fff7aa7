// A small JSON-over-HTTP(S) client on node:http/https, so a private CA (caCert) can be trusted
// without a global agent. Keep-alive agents; every call has a timeout and an optional signal.
// `request` answers every status; `call` is the CLI form: the body of a 2xx answer, otherwise
// the platform's error envelope as an AppError (and an unreachable server as 503 `unavailable`).
import { readFileSync } from "node:fs";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { AppError } from "../errors/index.ts";

export interface JsonResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; null when empty or not JSON. */
  body: unknown;
  /** The body as received (for text answers such as a zone file). */
  text: string;
}

export interface JsonRequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as text/plain instead of a JSON body. */
  text?: string;
  token?: string | undefined;
  /** Extra request headers (e.g. a delegation header); never logged. */
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A non-2xx answer as an AppError: the envelope's code and message, `fallbackCode` without one. */
export function responseError(res: JsonResponse, fallbackCode: string): AppError {
  const err = (res.body as { error?: { code?: string; message?: string } } | null)?.error;
  const retry = Number(res.headers["retry-after"]);
  return new AppError(
    res.status || 502,
    err?.code ?? fallbackCode,
    err?.message ?? `HTTP ${res.status}`,
    Number.isFinite(retry) && retry > 0 ? { retryAfter: retry } : undefined,
  );
}

function payloadOf(opts: JsonRequestOptions): { type: string; data: Buffer } | undefined {
  if (opts.text !== undefined) return { type: "text/plain", data: Buffer.from(opts.text) };
  if (opts.body === undefined) return undefined;
  return { type: "application/json", data: Buffer.from(JSON.stringify(opts.body)) };
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
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

  request(method: string, path: string, opts: JsonRequestOptions = {}): Promise<JsonResponse> {
    const url = new URL(path, this.base);
    const payload = payloadOf(opts);
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            ...opts.headers,
            accept: "application/json",
            ...(payload
              ? { "content-type": payload.type, "content-length": payload.data.length }
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
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: parseJson(text),
              text,
            });
          });
          res.on("error", reject);
        },
      );
      req.on("timeout", () =>
        req.destroy(new Error(`request timed out: ${method} ${url.pathname}`)),
      );
      req.on("error", reject);
      req.end(payload?.data);
    });
  }

  /**
   * The answer's JSON body (its text when it is not JSON) for a 2xx status; otherwise the error
   * envelope as an AppError (`http_<status>` without one). A server that cannot be reached is
   * AppError 503 `unavailable` naming its origin.
   */
  async call(method: string, path: string, opts: JsonRequestOptions = {}): Promise<unknown> {
    let res: JsonResponse;
    try {
      res = await this.request(method, path, opts);
    } catch (e) {
      throw new AppError(
        503,
        "unavailable",
        `cannot reach ${this.base.origin}: ${(e as Error).message}`,
      );
    }
    if (res.status < 200 || res.status > 299) throw responseError(res, `http_${res.status}`);
    return res.body ?? (res.text === "" ? undefined : res.text);
  }

  close(): void {
    this.agent.destroy();
  }
}
