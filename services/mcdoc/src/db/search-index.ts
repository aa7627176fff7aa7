// The cross-repository search index (FTS5): a repository's rows are replaced in one transaction
// when its new snapshot is swapped in; queries rank by bm25 (titles weigh more) with a snippet.
import type { Database } from "@metacircular/mcdsl/db";

export interface IndexedPage {
  path: string;
  title: string;
  text: string;
}

export interface SearchHit {
  repo: string;
  path: string;
  title: string;
  snippet: string;
}

/**
 * Free text → an FTS5 query: each word a quoted prefix term (FTS5 syntax in the input is data,
 * never operators), all required. Nothing searchable → undefined.
 */
export function matchQuery(text: string): string | undefined {
  const words = text.match(/[\p{L}\p{N}_]+/gu)?.slice(0, 12) ?? [];
  return words.length ? words.map((w) => `"${w}"*`).join(" ") : undefined;
}

export class SearchIndex {
  constructor(private readonly db: Database) {}

  clear(): void {
    this.db.prepare("DELETE FROM pages_fts").run();
  }

  replace(repo: string, pages: Iterable<IndexedPage>): void {
    const del = this.db.prepare("DELETE FROM pages_fts WHERE repo = ?");
    const ins = this.db.prepare(
      "INSERT INTO pages_fts (repo, path, title, body) VALUES (?, ?, ?, ?)",
    );
    this.db.transaction(() => {
      del.run(repo);
      for (const p of pages) ins.run(repo, p.path, p.title, p.text);
    })();
  }

  search(text: string, limit: number): SearchHit[] {
    const match = matchQuery(text);
    if (!match) return [];
    return this.db
      .prepare(
        `SELECT repo, path, title, snippet(pages_fts, 3, '', '', '…', 20) AS snippet
         FROM pages_fts WHERE pages_fts MATCH ? ORDER BY bm25(pages_fts, 0, 0, 8, 1) LIMIT ?`,
      )
      .all(match, limit) as SearchHit[];
  }
}
