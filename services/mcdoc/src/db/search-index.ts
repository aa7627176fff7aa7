// The cross-repository search index (FTS5): a repository's rows are replaced in one transaction
// when its new snapshot is swapped in (only the pages that changed); queries rank by bm25 (titles
// weigh more) inside the FTS subquery with its LIMIT, so snippets are made only for the rows
// returned. Statements are prepared once.
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

const SEARCH = `
  SELECT repo, path, title, snippet(pages_fts, 3, '', '', '…', 20) AS snippet
  FROM pages_fts
  WHERE pages_fts MATCH @match AND rowid IN (
    SELECT rowid FROM pages_fts WHERE pages_fts MATCH @match
    ORDER BY bm25(pages_fts, 0, 0, 8, 1) LIMIT @limit)
  ORDER BY bm25(pages_fts, 0, 0, 8, 1)`;

export class SearchIndex {
  private readonly stmt;

  constructor(private readonly db: Database) {
    this.stmt = {
      clear: db.prepare("DELETE FROM pages_fts"),
      delRepo: db.prepare("DELETE FROM pages_fts WHERE repo = ?"),
      delPage: db.prepare("DELETE FROM pages_fts WHERE repo = ? AND path = ?"),
      insert: db.prepare("INSERT INTO pages_fts (repo, path, title, body) VALUES (?, ?, ?, ?)"),
      search: db.prepare(SEARCH),
    };
  }

  clear(): void {
    this.stmt.clear.run();
  }

  replace(repo: string, pages: Iterable<IndexedPage>): void {
    this.db.transaction(() => {
      this.stmt.delRepo.run(repo);
      for (const p of pages) this.stmt.insert.run(repo, p.path, p.title, p.text);
    })();
  }

  /** Replaces the rows of the pages given (changed or new) and drops the rows of `removed`. */
  update(repo: string, changed: Iterable<IndexedPage>, removed: Iterable<string>): void {
    this.db.transaction(() => {
      for (const path of removed) this.stmt.delPage.run(repo, path);
      for (const p of changed) {
        this.stmt.delPage.run(repo, p.path);
        this.stmt.insert.run(repo, p.path, p.title, p.text);
      }
    })();
  }

  search(text: string, limit: number): SearchHit[] {
    const match = matchQuery(text);
    if (!match) return [];
    return this.stmt.search.all({ match, limit }) as SearchHit[];
  }
}
