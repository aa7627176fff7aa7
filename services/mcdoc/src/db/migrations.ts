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
];
