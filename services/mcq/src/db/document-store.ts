// Raw SQL for documents, their versions and tags. The domain (documents/) decides who may do
// what; this file only reads and writes rows.
import type { Database } from "@metacircular/mcdsl/db";

export interface DocumentRow {
  id: number;
  slug: string;
  title: string;
  body: string;
  html: string;
  toc: string;
  pushed_by: string;
  version: number;
  read: number;
  read_version: number | null;
  read_at: string | null;
  created_at: string;
  updated_at: string;
}

export type DocumentSummaryRow = Omit<DocumentRow, "body" | "html" | "toc"> & {
  snippet?: string;
};

export interface ListFilter {
  unreadOnly?: boolean;
  pushedBy?: string;
  tag?: string;
  /** An FTS5 query (already quoted by the caller). */
  match?: string;
  limit: number;
}

export interface UpsertInput {
  slug: string;
  title: string;
  body: string;
  html: string;
  toc: string;
  tags: string[];
  pushedBy: string;
}

const SUMMARY =
  "d.id, d.slug, d.title, d.pushed_by, d.version, d.read, d.read_version, d.read_at, d.created_at, d.updated_at";
const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

export class DocumentStore {
  constructor(private readonly db: Database) {}

  get(slug: string): DocumentRow | undefined {
    return this.db.prepare("SELECT * FROM documents WHERE slug = ?").get(slug) as
      | DocumentRow
      | undefined;
  }

  list(f: ListFilter): DocumentSummaryRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    let from = "documents d";
    let cols = SUMMARY;
    if (f.match) {
      from = "documents_fts f JOIN documents d ON d.id = f.rowid";
      cols += ", snippet(documents_fts, 1, '', '', '…', 16) AS snippet";
      where.push("documents_fts MATCH ?");
      args.push(f.match);
    }
    if (f.unreadOnly) where.push("d.read = 0");
    if (f.pushedBy) {
      where.push("d.pushed_by = ?");
      args.push(f.pushedBy);
    }
    if (f.tag) {
      where.push("EXISTS (SELECT 1 FROM document_tags t WHERE t.document_id = d.id AND t.tag = ?)");
      args.push(f.tag);
    }
    const sql = `SELECT ${cols} FROM ${from} ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY d.read ASC, d.updated_at DESC, d.slug ASC LIMIT ?`;
    return this.db.prepare(sql).all(...args, f.limit) as DocumentSummaryRow[];
  }

  tags(ids: number[]): Map<number, string[]> {
    const out = new Map<number, string[]>();
    if (ids.length === 0) return out;
    const rows = this.db
      .prepare(
        `SELECT document_id, tag FROM document_tags WHERE document_id IN (${ids.map(() => "?").join(",")}) ORDER BY tag`,
      )
      .all(...ids) as Array<{ document_id: number; tag: string }>;
    for (const r of rows) out.set(r.document_id, [...(out.get(r.document_id) ?? []), r.tag]);
    return out;
  }

  /** Insert or replace the current content, keep the pushed version, reset the read flag. */
  upsert(i: UpsertInput): { created: boolean; row: DocumentRow } {
    return this.db.transaction(() => {
      const prev = this.get(i.slug);
      const version = (prev?.version ?? 0) + 1;
      if (prev) {
        this.db
          .prepare(
            `UPDATE documents SET title = ?, body = ?, html = ?, toc = ?, pushed_by = ?, version = ?,
               read = 0, read_at = NULL, updated_at = ${NOW} WHERE id = ?`,
          )
          .run(i.title, i.body, i.html, i.toc, i.pushedBy, version, prev.id);
      } else {
        this.db
          .prepare(
            "INSERT INTO documents (slug, title, body, html, toc, pushed_by, version) VALUES (?, ?, ?, ?, ?, ?, 1)",
          )
          .run(i.slug, i.title, i.body, i.html, i.toc, i.pushedBy);
      }
      const row = this.get(i.slug)!;
      this.db
        .prepare(
          "INSERT INTO document_versions (document_id, version, title, body, pushed_by, pushed_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .run(row.id, version, i.title, i.body, i.pushedBy, row.updated_at);
      this.db.prepare("DELETE FROM document_tags WHERE document_id = ?").run(row.id);
      const tag = this.db.prepare("INSERT INTO document_tags (document_id, tag) VALUES (?, ?)");
      for (const t of i.tags) tag.run(row.id, t);
      return { created: !prev, row };
    })();
  }

  versionBody(documentId: number, version: number): string | undefined {
    const r = this.db
      .prepare("SELECT body FROM document_versions WHERE document_id = ? AND version = ?")
      .get(documentId, version) as { body: string } | undefined;
    return r?.body;
  }

  delete(slug: string): boolean {
    return this.db.prepare("DELETE FROM documents WHERE slug = ?").run(slug).changes > 0;
  }

  setRead(slug: string, read: boolean): DocumentRow | undefined {
    if (read)
      this.db
        .prepare(
          `UPDATE documents SET read = 1, read_version = version, read_at = ${NOW} WHERE slug = ?`,
        )
        .run(slug);
    else this.db.prepare("UPDATE documents SET read = 0, read_at = NULL WHERE slug = ?").run(slug);
    return this.get(slug);
  }
}
