// McqOps over the REST API, with a bearer token: what the CLI and the stdio MCP server use.
// Failures become AppErrors carrying the server's code.
import { JsonClient } from "@metacircular/mcdsl/auth";
import { AppError } from "@metacircular/mcdsl/errors";
import type { Changes, ListQuery, PushInput } from "../documents/documents.ts";
import type { DocumentDetail, DocumentSummary } from "../documents/views.ts";
import type { McqOps } from "../mcp/ops.ts";

export interface ApiClientOptions {
  server: string;
  token: string | undefined;
  caCert?: string | undefined;
}

function query(q: ListQuery): string {
  const p = new URLSearchParams();
  if (q.unread !== undefined) p.set("unread", String(q.unread));
  if (q.pushedBy) p.set("pushed_by", q.pushedBy);
  if (q.tag) p.set("tag", q.tag);
  if (q.q) p.set("q", q.q);
  if (q.limit) p.set("limit", String(q.limit));
  const s = p.toString();
  return s ? `?${s}` : "";
}

export class ApiClient implements McqOps {
  private readonly http: JsonClient;

  constructor(private readonly o: ApiClientOptions) {
    this.http = new JsonClient(o.server, o.caCert);
  }

  async call<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    let r: Awaited<ReturnType<JsonClient["request"]>>;
    try {
      r = await this.http.request(method, path, {
        ...(body === undefined ? {} : { body }),
        ...(this.o.token ? { token: this.o.token } : {}),
      });
    } catch (e) {
      throw AppError.unavailable(`cannot reach ${this.o.server}: ${(e as Error).message}`);
    }
    if (r.status >= 400) {
      const err = (r.body as { error?: { code?: string; message?: string } } | null)?.error;
      throw new AppError(r.status, err?.code ?? "http_error", err?.message ?? `HTTP ${r.status}`);
    }
    return { status: r.status, body: r.body as T };
  }

  async list(q: ListQuery): Promise<DocumentSummary[]> {
    return (await this.call<{ documents: DocumentSummary[] }>("GET", `/v1/documents${query(q)}`))
      .body.documents;
  }

  async get(slug: string): Promise<DocumentDetail> {
    return (await this.call<DocumentDetail>("GET", `/v1/documents/${encodeURIComponent(slug)}`))
      .body;
  }

  async put(
    slug: string,
    input: PushInput,
  ): Promise<{ created: boolean; document: DocumentDetail }> {
    const body: Record<string, unknown> = { body: input.body };
    if (input.title !== undefined) body.title = input.title;
    if (input.tags !== undefined) body.tags = input.tags;
    const r = await this.call<DocumentDetail>(
      "PUT",
      `/v1/documents/${encodeURIComponent(slug)}`,
      body,
    );
    return { created: r.status === 201, document: r.body };
  }

  async markRead(slug: string): Promise<DocumentSummary> {
    return (
      await this.call<DocumentSummary>("POST", `/v1/documents/${encodeURIComponent(slug)}/read`)
    ).body;
  }

  async markUnread(slug: string): Promise<DocumentSummary> {
    return (
      await this.call<DocumentSummary>("POST", `/v1/documents/${encodeURIComponent(slug)}/unread`)
    ).body;
  }

  async changes(slug: string): Promise<Changes> {
    return (await this.call<Changes>("GET", `/v1/documents/${encodeURIComponent(slug)}/changes`))
      .body;
  }
}
