// What callers see of a document: the summary in lists, the detail when reading.
import type { TocEntry } from "@metacircular/mcdsl/markdown";
import type { DocumentRow, DocumentSummaryRow } from "../db/document-store.ts";

export interface DocumentSummary {
  slug: string;
  title: string;
  tags: string[];
  pushed_by: string;
  version: number;
  read: boolean;
  read_version: number | null;
  created_at: string;
  updated_at: string;
  read_at: string | null;
  /** The matching passage, for searches. */
  snippet?: string;
}

export interface DocumentDetail extends DocumentSummary {
  body: string;
  html: string;
  toc: TocEntry[];
}

export function summaryOf(r: DocumentSummaryRow, tags: string[]): DocumentSummary {
  const s: DocumentSummary = {
    slug: r.slug,
    title: r.title,
    tags,
    pushed_by: r.pushed_by,
    version: r.version,
    read: r.read === 1,
    read_version: r.read_version,
    created_at: r.created_at,
    updated_at: r.updated_at,
    read_at: r.read_at,
  };
  if (r.snippet !== undefined) s.snippet = r.snippet;
  return s;
}

export function detailOf(r: DocumentRow, tags: string[]): DocumentDetail {
  return {
    ...summaryOf(r, tags),
    body: r.body,
    html: r.html,
    toc: JSON.parse(r.toc) as TocEntry[],
  };
}
