// Search and list order on real SQLite after migration 4 (the covering index in list order
// and FTS5 prefix indexes): a database from migrations 1-3 is upgraded in place and its rows
// are found again; the order is unread first, then read, each newest first, across the two
// passes the store makes; the search's query plan never reads the wide documents rows.
import assert from "node:assert/strict";
import { test } from "node:test";
import { openDatabase } from "@metacircular/mcdsl/db";
import { tempDirFor } from "@metacircular/testkit";
import { DocumentStore } from "./document-store.ts";
import { migrations } from "./migrations.ts";

test("migration 4 upgrades a database in place; search and order are kept", (t) => {
  const path = `${tempDirFor(t, "mcq-search-").path}/mcq.db`;
  const old = openDatabase(path, { migrations: migrations.slice(0, 3) });
  const ins = old.prepare(
    "INSERT INTO documents (slug, title, body, html, toc, pushed_by, version, updated_at) VALUES (?, ?, ?, '', '[]', ?, 1, ?)",
  );
  for (let i = 0; i < 6; i++)
    ins.run(
      `d${i}`,
      `Doc ${i}`,
      `tepid water ${i % 2 ? "kettle" : "teapot"}`,
      `u${i % 2}`,
      `2026-01-0${i + 1}`,
    );
  old.close();

  const db = openDatabase(path, { migrations });
  t.after(() => db.close());
  const store = new DocumentStore(db);
  const slugs = (f: Partial<Parameters<DocumentStore["list"]>[0]>) =>
    store.list({ reader: "alice", limit: 10, ...f }).map((r) => r.slug);

  // Two-letter prefixes use the new prefix index and find the rows indexed before the upgrade.
  assert.deepEqual(slugs({ match: '"te"*' }), ["d5", "d4", "d3", "d2", "d1", "d0"]);
  assert.deepEqual(slugs({ match: '"kett"*' }), ["d5", "d3", "d1"]);
  assert.deepEqual(slugs({ match: '"kett"* "te"*', pushedBy: "u1", limit: 2 }), ["d5", "d3"]);
  const hit = store.list({ reader: "alice", match: '"teapot"*', limit: 1 })[0]!;
  assert.equal(hit.slug, "d4");
  assert.match(hit.snippet ?? "", /teapot/);

  // Read ones last, newest first among them; the limit spans both passes.
  for (const s of ["d5", "d2"]) store.setRead(store.get(s, "alice")!.id, "alice", true);
  assert.deepEqual(slugs({}), ["d4", "d3", "d1", "d0", "d5", "d2"]);
  assert.deepEqual(slugs({ limit: 5 }), ["d4", "d3", "d1", "d0", "d5"]);
  assert.deepEqual(slugs({ unreadOnly: true, match: '"kettle"' }), ["d3", "d1"]);
  assert.deepEqual(slugs({ reader: "bob", limit: 3 }), ["d5", "d4", "d3"]);

  // The list query reads the covering index, never the documents table itself.
  const plan = (
    db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT d.id FROM documents d INDEXED BY documents_recent
         WHERE d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)
         ORDER BY d.updated_at DESC, d.slug ASC LIMIT 5`,
      )
      .all('"te"*') as Array<{ detail: string }>
  ).map((r) => r.detail);
  assert.ok(plan.includes("SCAN d USING COVERING INDEX documents_recent"), plan.join("; "));
  assert.ok(!plan.some((p) => p.includes("TEMP B-TREE")), plan.join("; "));
});
