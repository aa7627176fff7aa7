// Numbered schema migrations for mcq.sqlite.

import type { Migration } from "@metacircular/mcdsl/db";

export const migrations: Migration[] = [
  {
    version: 1,
    name: "documents, versions, tags",
    up: `
      CREATE TABLE documents (
        id           INTEGER PRIMARY KEY,
        slug         TEXT NOT NULL UNIQUE,
        title        TEXT NOT NULL,
        body         TEXT NOT NULL,               -- markdown as pushed
        html         TEXT NOT NULL,               -- rendered once per push
        toc          TEXT NOT NULL,               -- JSON [{level,id,text}]
        pushed_by    TEXT NOT NULL,
        version      INTEGER NOT NULL,
        read         INTEGER NOT NULL DEFAULT 0,
        read_version INTEGER,                     -- the version last marked read
        read_at      TEXT,
        created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE TABLE document_versions (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        version     INTEGER NOT NULL,
        title       TEXT NOT NULL,
        body        TEXT NOT NULL,
        pushed_by   TEXT NOT NULL,
        pushed_at   TEXT NOT NULL,
        PRIMARY KEY (document_id, version)
      );
      CREATE TABLE document_tags (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        tag         TEXT NOT NULL,
        PRIMARY KEY (document_id, tag)
      );
      CREATE INDEX document_tags_by_tag ON document_tags(tag);
    `,
  },
  {
    version: 2,
    name: "full-text search (FTS5, external content kept in step by triggers)",
    up: `
      CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, body, content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
      END;
      CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, body)
          VALUES ('delete', old.id, old.title, old.body);
      END;
      CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, body ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, body)
          VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO documents_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
      END;
    `,
  },
  {
    version: 3,
    name: "read state per account (the shared state becomes everyone's starting point)",
    // Before this, one read flag served every account. It moves to the row with the empty
    // username: the state an account starts from until it marks the document itself.
    up: `
      CREATE TABLE document_reads (
        document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        username     TEXT NOT NULL,               -- '' = the state shared before migration 3
        read         INTEGER NOT NULL,
        read_version INTEGER,                     -- the version this account last marked read
        read_at      TEXT,
        PRIMARY KEY (document_id, username)
      );
      INSERT INTO document_reads (document_id, username, read, read_version, read_at)
        SELECT id, '', read, read_version, read_at FROM documents
        WHERE read = 1 OR read_version IS NOT NULL;
      ALTER TABLE documents DROP COLUMN read;
      ALTER TABLE documents DROP COLUMN read_version;
      ALTER TABLE documents DROP COLUMN read_at;
    `,
  },
  {
    version: 4,
    name: "search without the wide rows: a covering index in list order, FTS prefix indexes",
    // A search used to read every match's documents row (body and HTML) to sort it: 20-47 ms
    // per query over 10,000 documents (bench/results/mcq.md). The list order is now read from
    // this index alone, and prefix terms ("word"*) use FTS5's prefix indexes.
    up: `
      CREATE INDEX documents_recent ON documents(updated_at DESC, slug ASC, pushed_by);
      DROP TABLE documents_fts;
      CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, body, content='documents', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3 4'
      );
      INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
    `,
  },
];
