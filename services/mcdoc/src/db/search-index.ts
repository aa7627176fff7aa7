// The cross-repository search index: page rows (repo, path, title, text) and an FTS5 index over
// them kept in step by triggers (migrations.ts). A repository's rows are replaced in one
// transaction when its new snapshot is swapped in (only the pages that changed). A query ranks
// rowids by bm25 (titles weigh more) on the index alone, reads the rows it returns (b-tree seeks)
// and cuts their snippets in process (snippet.ts). Statements are prepared once.
import type { Database } from "@metacircular/mcdsl/db";
import { searchWords, snippetsFor } from "./snippet.ts";

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
  const words = searchWords(text);
  return words.length ? words.map((w) => `"${w}"*`).join(" ") : undefined;
}

const RANKED = `
  SELECT p.repo, p.path, p.title, p.body
  FROM (SELECT rowid AS id, bm25(pages_fts, 8, 1) AS score FROM pages_fts
        WHERE pages_fts MATCH @match ORDER BY score LIMIT @limit) AS r
  JOIN pages AS p ON p.id = r.id
  ORDER BY r.score`;

interface RankedRow {
  repo: string;
  path: string;
  title: string;
  body: string;
}

export class SearchIndex {
  private readonly stmt;

  constructor(private readonly db: Database) {
    this.stmt = {
      clear: db.prepare("DELETE FROM pages"),
      delRepo: db.prepare("DELETE FROM pages WHERE repo = ?"),
      delPage: db.prepare("DELETE FROM pages WHERE repo = ? AND path = ?"),
      insert: db.prepare("INSERT INTO pages (repo, path, title, body) VALUES (?, ?, ?, ?)"),
      ranked: db.prepare(RANKED),
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
    const words = searchWords(text);
    const match = matchQuery(text);
    if (!match) return [];
    const rows = this.stmt.ranked.all({ match, limit }) as RankedRow[];
    const snippet = snippetsFor(words);
    return rows.map((r) => ({
      repo: r.repo,
      path: r.path,
      title: r.title,
      snippet: snippet(r.body),
    }));
  }
}
