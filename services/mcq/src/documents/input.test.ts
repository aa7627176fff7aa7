import assert from "node:assert/strict";
import { test } from "node:test";
import { openDatabase } from "@metacircular/mcdsl/db";
import { fuzzSeed, replayHint, rng, tempDirFor } from "@metacircular/testkit";
import { DocumentStore } from "../db/document-store.ts";
import { migrations } from "../db/migrations.ts";
import { checkTags, ftsQuery, slugFromFileName } from "./input.ts";

test("slugs from file names, tags normalised", () => {
  assert.equal(slugFromFileName("/tmp/x/Release Notes.md"), "release-notes");
  assert.equal(slugFromFileName("C:\\docs\\--Plan v2.markdown"), "plan-v2");
  assert.throws(() => slugFromFileName("###.md"), /slug must be/);
  assert.deepEqual(checkTags([" Ops", "infra", "ops"]), ["infra", "ops"]);
});

test("free text becomes quoted prefix terms; FTS5 syntax is data", () => {
  assert.equal(ftsQuery('zebra OR "x" NOT y*'), '"zebra"* "OR"* "x"* "NOT"* "y"*');
  assert.equal(ftsQuery(" ()*: "), undefined);
});

test("fuzz: any search text runs as a valid FTS5 query against real SQLite", (t) => {
  const seed = fuzzSeed();
  const r = rng(seed);
  const db = openDatabase(`${tempDirFor(t, "mcq-fts-").path}/f.db`, { migrations });
  t.after(() => db.close());
  const store = new DocumentStore(db);
  store.upsert({
    slug: "a",
    title: "Alpha",
    body: "the quick fox",
    html: "",
    toc: "[]",
    tags: [],
    pushedBy: "x",
  });
  const atoms = [
    '"',
    "*",
    "(",
    ")",
    "OR",
    "AND",
    "NOT",
    "NEAR",
    ":",
    "^",
    "-",
    "+",
    " ",
    "fox",
    "qu",
    "é",
    "𝔸",
    "\u0000",
    "{",
    "}",
    "'",
  ];
  for (let i = 0; i < 500; i++) {
    let text = "";
    const n = 1 + r.int(12);
    for (let j = 0; j < n; j++) text += r.pick(atoms);
    const match = ftsQuery(text);
    assert.doesNotThrow(
      () => store.list({ reader: "alice", ...(match ? { match } : {}), limit: 10 }),
      `${JSON.stringify(text)} (${replayHint(seed)})`,
    );
  }
});
