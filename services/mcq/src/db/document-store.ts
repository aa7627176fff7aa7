// Raw SQL for documents, their versions, tags and each account's read state. The domain
// (documents/) decides who may do what; this file only reads and writes rows.
import { cachedStatement, type Database } from "@metacircular/mcdsl/db";
import { queryTerms, snippetOf } from "./snippet.ts";

/** A document row with the read state of the account it was read for. */
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
  /** Whose read state is answered (and filtered on). */
  reader: string;
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

// The reader's own row (r) when there is one, else the state shared before read state was per
// account (l, username ''; see migration 3).
const READS =
  "LEFT JOIN document_reads r ON r.document_id = d.id AND r.username = ? " +
  "LEFT JOIN document_reads l ON l.document_id = d.id AND l.username = ''";
const mine = (col: string) => `CASE WHEN r.username IS NULL THEN l.${col} ELSE r.${col} END`;
const READ = `COALESCE(${mine("read")}, 0)`;
const READ_COLS = `${READ} AS read, ${mine("read_version")} AS read_version, ${mine("read_at")} AS read_at`;
const SUMMARY = `d.id, d.slug, d.title, d.pushed_by, d.version, ${READ_COLS}, d.created_at, d.updated_at`;
const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

export class DocumentStore {
  constructor(private readonly db: Database) {}

  /** The document with `reader`'s read state. */
  get(slug: string, reader: string): DocumentRow | undefined {
    return this.db
      .prepare(`SELECT d.*, ${READ_COLS} FROM documents d ${READS} WHERE d.slug = ?`)
      .get(reader, slug) as DocumentRow | undefined;
  }

  /** Unread first, then read; each newest first. Two passes in the order of the covering
   * index documents_recent (migration 4): a pass stops at the limit and never reads the wide
   * rows (body, HTML), so a word every document contains costs no more than a rare one. */
  list(f: ListFilter): DocumentSummaryRow[] {
    const ids = this.listIds(f, 0, f.limit);
    if (!f.unreadOnly && ids.length < f.limit)
      ids.push(...this.listIds(f, 1, f.limit - ids.length));
    const rows = this.summaries(ids, f.reader);
    return f.match ? this.withSnippets(rows, f.match) : rows;
  }

  private listIds(f: ListFilter, read: 0 | 1, limit: number): number[] {
    const where = [`${READ} = ?`];
    const args: unknown[] = [f.reader, read];
    if (f.match) {
      where.push("d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)");
      args.push(f.match);
    }
    if (f.pushedBy) {
      where.push("d.pushed_by = ?");
      args.push(f.pushedBy);
    }
    if (f.tag) {
      where.push("EXISTS (SELECT 1 FROM document_tags t WHERE t.document_id = d.id AND t.tag = ?)");
      args.push(f.tag);
    }
    const sql = `SELECT d.id FROM documents d INDEXED BY documents_recent ${READS}
      WHERE ${where.join(" AND ")} ORDER BY d.updated_at DESC, d.slug ASC LIMIT ?`;
    return cachedStatement(this.db, sql)
      .all(...args, limit)
      .map((r) => (r as { id: number }).id);
  }

  private summaries(ids: number[], reader: string): DocumentSummaryRow[] {
    if (ids.length === 0) return [];
    const found = this.db
      .prepare(
        `SELECT ${SUMMARY} FROM documents d ${READS} WHERE d.id IN (${ids.map(() => "?").join(",")})`,
      )
      .all(reader, ...ids) as DocumentSummaryRow[];
    const byId = new Map(found.map((r) => [r.id, r]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Snippets for the rows of one page only, cut from their bodies (snippet.ts). */
  private withSnippets(rows: DocumentSummaryRow[], match: string): DocumentSummaryRow[] {
    const terms = queryTerms(match);
    const body = cachedStatement(this.db, "SELECT body FROM documents WHERE id = ?");
    return rows.map((r) => {
      const found = body.get(r.id) as { body: string } | undefined;
      return { ...r, snippet: snippetOf(found?.body ?? "", terms) };
    });
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

  /** Insert or replace the current content, keep the pushed version, reset everyone's read flag. */
  upsert(i: UpsertInput): { created: boolean; row: DocumentRow } {
    return this.db.transaction(() => {
      const prev = this.get(i.slug, i.pushedBy);
      const version = (prev?.version ?? 0) + 1;
      if (prev) {
        this.db
          .prepare(
            `UPDATE documents SET title = ?, body = ?, html = ?, toc = ?, pushed_by = ?, version = ?,
               updated_at = ${NOW} WHERE id = ?`,
          )
          .run(i.title, i.body, i.html, i.toc, i.pushedBy, version, prev.id);
        this.db
          .prepare("UPDATE document_reads SET read = 0, read_at = NULL WHERE document_id = ?")
          .run(prev.id);
      } else {
        this.db
          .prepare(
            "INSERT INTO documents (slug, title, body, html, toc, pushed_by, version) VALUES (?, ?, ?, ?, ?, ?, 1)",
          )
          .run(i.slug, i.title, i.body, i.html, i.toc, i.pushedBy);
      }
      const row = this.get(i.slug, i.pushedBy)!;
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

  /** Marks the document read (at its current version) or unread for `reader` alone. */
  setRead(documentId: number, reader: string, read: boolean): void {
    if (read)
      this.db
        .prepare(
          `INSERT INTO document_reads (document_id, username, read, read_version, read_at)
           SELECT id, ?, 1, version, ${NOW} FROM documents WHERE id = ?
           ON CONFLICT (document_id, username)
           DO UPDATE SET read = 1, read_version = excluded.read_version, read_at = excluded.read_at`,
        )
        .run(reader, documentId);
    // The version last read stays (the diff is against it); a first own row starts from the
    // shared state's version.
    else
      this.db
        .prepare(
          `INSERT INTO document_reads (document_id, username, read, read_version, read_at)
           VALUES (?, ?, 0, (SELECT read_version FROM document_reads
                             WHERE document_id = ? AND username = ''), NULL)
           ON CONFLICT (document_id, username) DO UPDATE SET read = 0, read_at = NULL`,
        )
        .run(documentId, reader, documentId);
  }
}
