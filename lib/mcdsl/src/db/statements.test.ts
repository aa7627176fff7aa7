import assert from "node:assert/strict";
import { test } from "node:test";
import { openDatabase } from "./open.ts";
import { cachedStatement } from "./statements.ts";

test("a statement is prepared once per database handle and never shared between handles", () => {
  const a = openDatabase(":memory:");
  const b = openDatabase(":memory:");
  const sa = cachedStatement(a, "SELECT 1 AS one");
  assert.equal(cachedStatement(a, "SELECT 1 AS one"), sa);
  assert.notEqual(cachedStatement(b, "SELECT 1 AS one"), sa);
  assert.deepEqual(sa.get(), { one: 1 });
  a.close();
  b.close();
});
