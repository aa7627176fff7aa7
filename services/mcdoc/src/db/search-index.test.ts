// The search index on a real SQLite file: ranking (a title hit above body hits) and the limit
// applied inside the FTS subquery, snippets for the rows returned, a partial update that
// touches only the pages given, and a cache directory of the first schema upgraded in place.
import assert from "node:assert/strict";
import { test } from "node:test";
import { openDatabase } from "@metacircular/mcdsl/db";
import { silentLogger } from "@metacircular/mcdsl/log";
import { tempDirFor } from "@metacircular/testkit";
import { migrations } from "./migrations.ts";
import { SearchIndex } from "./search-index.ts";

test("search ranks, limits and snippets; update replaces only the pages given", (t) => {
  const dir = tempDirFor(t, "mcdoc-search-");
  const db = openDatabase(dir.join("s.sqlite"), { migrations, logger: silentLogger() });
  t.after(() => db.close());
  const index = new SearchIndex(db);
  const body = (i: number) => ({ path: `p${i}.md`, title: `Page ${i}`, text: `lorem kiwi ${i}` });
  index.replace("a", [...Array.from({ length: 40 }, (_, i) => body(i))]);
  index.replace("b", [{ path: "kiwi.md", title: "Kiwi", text: "all about kiwi fruit" }]);

  const hits = index.search("kiwi", 5);
  assert.equal(hits.length, 5);
  assert.deepEqual(hits[0], {
    repo: "b",
    path: "kiwi.md",
    title: "Kiwi",
    snippet: "all about kiwi fruit",
  });
  assert.equal(index.search("kiwi", 100).length, 41);
  assert.deepEqual(index.search('"kiwi" OR', 100), []); // "OR" is a word to find, not an operator
  assert.deepEqual(index.search("…", 5), []);

  index.update("a", [{ path: "p3.md", title: "Page 3", text: "mango" }], ["p4.md"]);
  const kiwi = index.search("kiwi", 100).map((h) => `${h.repo}/${h.path}`);
  assert.equal(kiwi.length, 39);
  assert.ok(!kiwi.includes("a/p3.md") && !kiwi.includes("a/p4.md"));
  assert.deepEqual(
    index.search("mango", 5).map((h) => h.path),
    ["p3.md"],
  );
  assert.equal(index.search("lorem", 100).length, 38);
});

test("a search index of the first schema is upgraded in place and filled again", (t) => {
  const dir = tempDirFor(t, "mcdoc-search-");
  const file = dir.join("s.sqlite");
  const v1 = openDatabase(file, { migrations: migrations.slice(0, 1), logger: silentLogger() });
  v1.prepare(
    "INSERT INTO pages_fts (repo, path, title, body) VALUES ('a', 'x.md', 'X', 'kiwi')",
  ).run();
  v1.close();
  const db = openDatabase(file, { migrations, logger: silentLogger() });
  t.after(() => db.close());
  const index = new SearchIndex(db);
  assert.deepEqual(index.search("kiwi", 5), []);
  index.replace("a", [{ path: "x.md", title: "Rendering", text: "The site renders kiwi pages." }]);
  assert.deepEqual(index.search("rendering", 5), [
    { repo: "a", path: "x.md", title: "Rendering", snippet: "The site renders kiwi pages." },
  ]);
  index.clear();
  assert.deepEqual(index.search("kiwi", 5), []);
});
