// The document use cases, one method each; REST, the web UI, MCP and the CLI only translate.
// Rendering happens once per push, on the markdown renderer's worker thread.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Identity } from "@metacircular/mcdsl/identity";
import type { DiffResult, RenderResult } from "@metacircular/mcdsl/markdown";
import type { DocumentRow, DocumentStore } from "../db/document-store.ts";
import { checkSlug, checkTags, checkTitle, ftsQuery } from "./input.ts";
import { type PusherKind, requireDelete, requirePush } from "./policy.ts";
import { type DocumentDetail, type DocumentSummary, detailOf, summaryOf } from "./views.ts";

export interface Renderer {
  render(source: string): Promise<RenderResult>;
  diff(before: string, after: string): Promise<DiffResult>;
}

export interface PushInput {
  body: string;
  title?: string | undefined;
  tags?: readonly string[] | undefined;
}

export interface ListQuery {
  unread?: boolean | undefined;
  pushedBy?: string | undefined;
  tag?: string | undefined;
  /** Full-text search over titles and bodies. */
  q?: string | undefined;
  limit?: number | undefined;
}

export type Changes =
  | { kind: "none"; reason: "never_read" | "read_current" }
  | {
      kind: "diff";
      from_version: number;
      to_version: number;
      html: string;
      added: number;
      removed: number;
    };

export interface DocumentsOptions {
  pushers: readonly PusherKind[];
  maxBytes: number;
}

export class Documents {
  constructor(
    private readonly store: DocumentStore,
    private readonly renderer: Renderer,
    private readonly opts: DocumentsOptions,
  ) {}

  list(id: Identity, q: ListQuery = {}): DocumentSummary[] {
    const limit = Math.min(Math.max(q.limit ?? 200, 1), 1000);
    const match = ftsQuery(q.q);
    const rows = this.store.list({
      reader: id.username,
      unreadOnly: q.unread === true,
      ...(q.pushedBy ? { pushedBy: q.pushedBy } : {}),
      ...(q.tag ? { tag: q.tag.toLowerCase() } : {}),
      ...(match ? { match } : {}),
      limit,
    });
    const tags = this.store.tags(rows.map((r) => r.id));
    return rows.map((r) => summaryOf(r, tags.get(r.id) ?? []));
  }

  get(id: Identity, slug: string): DocumentDetail {
    const row = this.row(id, slug);
    return detailOf(row, this.store.tags([row.id]).get(row.id) ?? []);
  }

  /** Upsert: a new slug is created, an existing one replaced (previous version kept, read reset). */
  async put(
    id: Identity,
    slug: string,
    input: PushInput,
  ): Promise<{ created: boolean; document: DocumentDetail }> {
    requirePush(id, this.opts.pushers);
    checkSlug(slug);
    if (Buffer.byteLength(input.body, "utf8") > this.opts.maxBytes)
      throw new AppError(
        413,
        "document_too_large",
        `document is larger than ${this.opts.maxBytes} bytes`,
      );
    const tags = checkTags(input.tags ?? []);
    const rendered = await this.renderer.render(input.body);
    const title = checkTitle(input.title, rendered.title ?? slug);
    const { created, row } = this.store.upsert({
      slug,
      title,
      body: input.body,
      html: rendered.html,
      toc: JSON.stringify(rendered.toc),
      tags,
      pushedBy: id.username,
    });
    return { created, document: detailOf(row, tags) };
  }

  delete(id: Identity, slug: string): void {
    const row = this.row(id, slug);
    requireDelete(id, row.pushed_by);
    this.store.delete(slug);
  }

  /** Marks the document read at its current version, for the caller only. */
  markRead(id: Identity, slug: string): DocumentSummary {
    return this.setRead(id, slug, true);
  }

  /** Marks the document unread for the caller only (the version last read is kept). */
  markUnread(id: Identity, slug: string): DocumentSummary {
    return this.setRead(id, slug, false);
  }

  /** What changed since the version the caller last marked read, as a rendered diff. */
  async changes(id: Identity, slug: string): Promise<Changes> {
    const row = this.row(id, slug);
    if (row.read_version === null) return { kind: "none", reason: "never_read" };
    if (row.read_version >= row.version) return { kind: "none", reason: "read_current" };
    const before = this.store.versionBody(row.id, row.read_version) ?? "";
    const d = await this.renderer.diff(before, row.body);
    return { kind: "diff", from_version: row.read_version, to_version: row.version, ...d };
  }

  private setRead(id: Identity, slug: string, read: boolean): DocumentSummary {
    this.store.setRead(this.row(id, slug).id, id.username, read);
    const row = this.row(id, slug);
    return summaryOf(row, this.store.tags([row.id]).get(row.id) ?? []);
  }

  private row(id: Identity, slug: string): DocumentRow {
    const row = this.store.get(checkSlug(slug), id.username);
    if (!row) throw AppError.notFound("document_not_found", `no document "${slug}"`);
    return row;
  }
}
