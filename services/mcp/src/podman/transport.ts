// HTTP/1.1 over podman's Unix socket (`podman system service`): one request, the whole body
// back, or the raw response for streams. A keep-alive agent keeps list and inspect calls cheap.
import { Agent, type IncomingMessage, request } from "node:http";

export interface LibpodRequest {
  method: "GET" | "POST" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface LibpodResponse {
  status: number;
  body: Buffer;
}

/** The libpod API prefix; podman 4 answers every v4.x path. */
export const API = "/v4.0.0/libpod";

export class LibpodTransport {
  readonly socketPath: string;
  private readonly agent: Agent;

  constructor(socketPath: string) {
    this.socketPath = socketPath;
    this.agent = new Agent({ keepAlive: true, maxSockets: 8 });
  }

  url(path: string, query?: LibpodRequest["query"]): string {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) q.set(k, String(v));
    const s = q.toString();
    return `${API}${path}${s ? `?${s}` : ""}`;
  }

  /** The response with its body unread (streams: pull progress, followed logs). */
  open(req: LibpodRequest): Promise<IncomingMessage> {
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    return new Promise((resolve, reject) => {
      const r = request(
        {
          socketPath: this.socketPath,
          agent: this.agent,
          method: req.method,
          path: this.url(req.path, req.query),
          headers: {
            host: "podman",
            ...(payload
              ? { "content-type": "application/json", "content-length": payload.length }
              : {}),
            ...req.headers,
          },
          timeout: req.timeoutMs ?? 120_000,
        },
        resolve,
      );
      r.on("timeout", () => r.destroy(new Error(`podman: ${req.method} ${req.path} timed out`)));
      r.on("error", reject);
      r.end(payload);
    });
  }

  async send(req: LibpodRequest): Promise<LibpodResponse> {
    const res = await this.open(req);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return { status: res.statusCode ?? 0, body: Buffer.concat(chunks) };
  }

  close(): void {
    this.agent.destroy();
  }
}
