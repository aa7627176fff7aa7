// Read state per account on real SQLite: an existing database from before migration 3 (one
// read flag for everyone) is upgraded in place, its shared state becomes every account's
// starting point, and from then on each account's marks are its own; a re-push resets all.
import assert from "node:assert/strict";
import { test } from "node:test";
import { openDatabase } from "@metacircular/mcdsl/db";
import { tempDirFor } from "@metacircular/testkit";
import { DocumentStore } from "./document-store.ts";
import { migrations } from "./migrations.ts";

const push = (store: DocumentStore, slug: string, body: string, pushedBy = "ci-bot") =>
  store.upsert({ slug, title: slug, body, html: `<p>${body}</p>`, toc: "[]", tags: [], pushedBy });

const state = (store: DocumentStore, slug: string, reader: string) => {
  const r = store.get(slug, reader)!;
  return { read: r.read, read_version: r.read_version, version: r.version };
};

test("upgrading a database with the shared read flag keeps it for everyone until they mark", (t) => {
  const path = `${tempDirFor(t, "mcq-migrate-").path}/mcq.db`;
  // The schema as it was (migrations 1-2), with rows written the way the old code wrote them.
  const old = openDatabase(path, { migrations: migrations.slice(0, 2) });
  const ins = old.prepare(
    "INSERT INTO documents (slug, title, body, html, toc, pushed_by, version, read, read_version, read_at) VALUES (?, ?, ?, '', '[]', 'ci-bot', ?, ?, ?, ?)",
  );
  ins.run("seen", "Seen", "v1 text", 1, 1, 1, "2026-01-01T00:00:00.000Z");
  ins.run("moved-on", "Moved on", "v2 text", 2, 0, 1, null); // read at 1, re-pushed since
  ins.run("fresh", "Fresh", "new", 1, 0, null, null);
  const ver = old.prepare(
    "INSERT INTO document_versions (document_id, version, title, body, pushed_by, pushed_at) VALUES ((SELECT id FROM documents WHERE slug = ?), ?, ?, ?, 'ci-bot', '2026-01-01')",
  );
  ver.run("seen", 1, "Seen", "v1 text");
  ver.run("moved-on", 1, "Moved on", "v1 text");
  ver.run("moved-on", 2, "Moved on", "v2 text");
  ver.run("fresh", 1, "Fresh", "new");
  old.close();

  const db = openDatabase(path, { migrations });
  t.after(() => db.close());
  const cols = (db.prepare("PRAGMA table_info(documents)").all() as Array<{ name: string }>).map(
    (c) => c.name,
  );
  assert.ok(!cols.includes("read") && !cols.includes("read_version"), cols.join(","));
  const store = new DocumentStore(db);
  for (const who of ["alice", "bob"]) {
    assert.deepEqual(state(store, "seen", who), { read: 1, read_version: 1, version: 1 });
    assert.deepEqual(state(store, "moved-on", who), { read: 0, read_version: 1, version: 2 });
    assert.deepEqual(state(store, "fresh", who), { read: 0, read_version: null, version: 1 });
  }
  // Search (FTS5 over the rebuilt table) still finds the old rows.
  assert.deepEqual(
    store.list({ reader: "alice", match: '"text"*', limit: 10 }).map((r) => r.slug),
    ["moved-on", "seen"],
  );

  // Alice's marks are hers; Bob keeps the shared state, and his first own mark keeps the
  // version last read (the diff base) from it.
  store.setRead(store.get("seen", "alice")!.id, "alice", false);
  store.setRead(store.get("moved-on", "alice")!.id, "alice", true);
  assert.deepEqual(state(store, "seen", "alice"), { read: 0, read_version: 1, version: 1 });
  assert.deepEqual(state(store, "moved-on", "alice"), { read: 1, read_version: 2, version: 2 });
  assert.deepEqual(state(store, "seen", "bob"), { read: 1, read_version: 1, version: 1 });
  store.setRead(store.get("moved-on", "bob")!.id, "bob", false);
  assert.deepEqual(state(store, "moved-on", "bob"), { read: 0, read_version: 1, version: 2 });

  // Unread first, per reader.
  const order = (who: string, unreadOnly = false) =>
    store.list({ reader: who, unreadOnly, limit: 10 }).map((r) => `${r.slug}:${r.read}`);
  assert.deepEqual(order("alice", true).sort(), ["fresh:0", "seen:0"]);
  assert.deepEqual(order("bob", true).sort(), ["fresh:0", "moved-on:0"]);
  assert.equal(order("carol").at(-1), "seen:1");

  // A re-push resets read for everyone, the shared starting state included; versions read stay.
  push(store, "seen", "v2 text");
  for (const who of ["alice", "bob", "carol"])
    assert.deepEqual(state(store, "seen", who), { read: 0, read_version: 1, version: 2 });
});

test("a new database: read state is per account from the first mark; delete drops it", (t) => {
  const db = openDatabase(`${tempDirFor(t, "mcq-reads-").path}/mcq.db`, { migrations });
  t.after(() => db.close());
  const store = new DocumentStore(db);
  const { row } = push(store, "doc", "one");
  assert.equal(row.read, 0);
  store.setRead(row.id, "alice", true);
  assert.deepEqual(state(store, "doc", "alice"), { read: 1, read_version: 1, version: 1 });
  assert.deepEqual(state(store, "doc", "bob"), { read: 0, read_version: null, version: 1 });
  push(store, "doc", "two");
  assert.deepEqual(state(store, "doc", "alice"), { read: 0, read_version: 1, version: 2 });
  store.delete("doc");
  assert.equal(
    (db.prepare("SELECT count(*) AS n FROM document_reads").get() as { n: number }).n,
    0,
  );
});
