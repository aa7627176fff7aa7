// Numbered schema migrations for the search index (cache dir, mcdoc.sqlite). The index is derived
// data: deleting the file loses nothing, the next refresh of each repository rebuilds it.
import type { Migration } from "@metacircular/mcdsl/db";

export const migrations: Migration[] = [
  {
    version: 1,
    name: "full-text index of rendered pages",
    up: `
      CREATE VIRTUAL TABLE pages_fts USING fts5(
        repo UNINDEXED,
        path UNINDEXED,
        title,
        body,
        tokenize = 'porter unicode61'
      );
    `,
  },
  {
    version: 2,
    name: "page rows beside the FTS index: rank on the index alone, read the page rows returned",
    // Version 1 kept every column in the FTS table: ranking read each match's repo, path and
    // title through FTS5, snippet() tokenised each returned body again (6-12 ms a query over
    // 600 pages). Now the index only ranks rowids; the returned rows are b-tree seeks into
    // pages, and the snippets are cut in process. (FTS5 prefix indexes were tried: building
    // and updating the index took 3-5 times as long for no clear gain on "word"* queries.)
    up: `
      DROP TABLE pages_fts;
      CREATE TABLE pages (
        id INTEGER PRIMARY KEY,
        repo TEXT NOT NULL,
        path TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (repo, path)
      );
      CREATE VIRTUAL TABLE pages_fts USING fts5(
        title,
        body,
        content = 'pages',
        content_rowid = 'id',
        tokenize = 'porter unicode61'
      );
      CREATE TRIGGER pages_ai AFTER INSERT ON pages BEGIN
        INSERT INTO pages_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
      END;
      CREATE TRIGGER pages_ad AFTER DELETE ON pages BEGIN
        INSERT INTO pages_fts (pages_fts, rowid, title, body)
          VALUES ('delete', old.id, old.title, old.body);
      END;
    `,
  },
];
