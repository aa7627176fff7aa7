import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { openDatabase } from "../db/index.ts";
import { GENESIS, HashChain } from "./chain.ts";

const migrations = [
  {
    version: 1,
    name: "chain",
    up: `CREATE TABLE log (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, what TEXT,
            prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
          CREATE TABLE head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER, hash TEXT);`,
  },
];

function open() {
  const db = openDatabase(":memory:", { migrations });
  const chain = new HashChain(db, {
    table: "log",
    headTable: "head",
    columns: ["seq", "ts", "what"],
  });
  return { db, chain };
}

test("a row's hash is SHA-256 over the JSON array of its columns and the previous hash", () => {
  const { chain } = open();
  const first = chain.append(() => ({ ts: 7, what: "a\u00e9" }));
  const expected = createHash("sha256").update(`[1,7,"a\u00e9","${GENESIS}"]`).digest("hex");
  assert.deepEqual(first, { seq: 1, ts: 7, what: "a\u00e9", prev_hash: GENESIS, hash: expected });
  const second = chain.append((seq, prev) => ({ ts: seq, what: prev.slice(0, 4) }));
  assert.equal(second.prev_hash, expected);
  assert.deepEqual(chain.walk(), { rows: 2, problems: [] });
});

test("the walk reports gaps, broken links, altered rows and a head that is not the last row", () => {
  const { db, chain } = open();
  for (let i = 0; i < 4; i++) chain.append(() => ({ ts: i, what: `w${i}` }));
  db.prepare("UPDATE log SET what = 'x' WHERE seq = 2").run();
  db.prepare("DELETE FROM log WHERE seq = 3").run();
  assert.deepEqual(chain.walk().problems, [
    { seq: 2, kind: "altered" },
    { seq: 4, kind: "missing_rows", from: 3, to: 3 },
    { seq: 4, kind: "link_broken" },
  ]);
  assert.deepEqual(
    chain.walk((r) => r.seq === 2).problems.map((p) => p.kind),
    ["missing_rows", "link_broken"],
  );
  db.prepare("DELETE FROM log WHERE seq = 4").run();
  assert.deepEqual(chain.walk().problems.at(-1), { seq: 4, kind: "head_mismatch" });
  db.prepare("DELETE FROM head").run();
  assert.deepEqual(chain.walk().problems.at(-1), { seq: 0, kind: "head_missing" });
});
