// A plain HTTPS client for the distribution API in tests: raw status, headers and body bytes,
// the test CA trusted, and the token dance (GET /v2/token with Basic credentials).
import { request } from "node:https";
import type { Readable } from "node:stream";

export interface RegResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies field by field
  json(): any;
  header(name: string): string | undefined;
}

export interface RegRequest {
  token?: string;
  headers?: Record<string, string | number>;
  body?: Buffer | string | Readable;
  /** TLS server name to verify, when a test sends an odd Host header. */
  servername?: string;
}

/** Where tokens come from: MCR's own /v2/token by default, or another registry's realm. */
export interface TokenRealm {
  realm: string;
  service: string;
}

export class RegistryClient {
  constructor(
    readonly base: string,
    readonly ca: string,
    private readonly auth: TokenRealm = { realm: "/v2/token", service: "mcr-registry" },
  ) {}

  req(method: string, path: string, o: RegRequest = {}): Promise<RegResponse> {
    const headers: Record<string, string | number> = { ...o.headers };
    if (o.token) headers.Authorization = `Bearer ${o.token}`;
    if (Buffer.isBuffer(o.body) || typeof o.body === "string")
      headers["Content-Length"] ??= Buffer.byteLength(o.body);
    return new Promise((resolve, reject) => {
      const r = request(
        new URL(path, this.base),
        { method, headers, ca: this.ca, ...(o.servername ? { servername: o.servername } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const body = Buffer.concat(chunks);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body,
              json: () => JSON.parse(body.toString("utf8")),
              header: (n) => {
                const v = res.headers[n.toLowerCase()];
                return Array.isArray(v) ? v.join(", ") : v;
              },
            });
          });
          res.on("error", reject);
        },
      );
      r.on("error", reject);
      if (o.body && typeof o.body !== "string" && !Buffer.isBuffer(o.body)) o.body.pipe(r);
      else r.end(o.body);
    });
  }

  /** A registry token for the scopes (GET /v2/token with Basic credentials); throws on refusal. */
  async token(username: string, password: string, scopes: string[]): Promise<string> {
    const r = await this.tokenResponse(username, password, scopes);
    if (r.status !== 200) throw new Error(`token: ${r.status} ${r.body.toString()}`);
    return r.json().token as string;
  }

  tokenResponse(username: string, password: string, scopes: string[]): Promise<RegResponse> {
    const q = new URLSearchParams({ service: this.auth.service });
    for (const s of scopes) q.append("scope", s);
    const basic = Buffer.from(`${username}:${password}`).toString("base64");
    return this.req("GET", `${this.auth.realm}?${q}`, {
      headers: { Authorization: `Basic ${basic}` },
    });
  }
}

/** Uploads a blob in one POST (?digest=) and returns the response. */
export function pushBlob(
  c: RegistryClient,
  token: string,
  repo: string,
  data: Buffer,
  digest: string,
) {
  return c.req("POST", `/v2/${repo}/blobs/uploads/?digest=${encodeURIComponent(digest)}`, {
    token,
    headers: { "Content-Type": "application/octet-stream" },
    body: data,
  });
}

export function pushManifest(
  c: RegistryClient,
  token: string,
  repo: string,
  ref: string,
  bytes: Buffer,
  mediaType: string,
) {
  return c.req("PUT", `/v2/${repo}/manifests/${ref}`, {
    token,
    headers: { "Content-Type": mediaType },
    body: bytes,
  });
}
