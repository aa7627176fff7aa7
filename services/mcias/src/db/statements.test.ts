import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openDb } from "./open.ts";
import { stmt } from "./statements.ts";

test("a statement is compiled once per database and SQL text", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "mcias-stmt-"));
  const a = openDb(join(dir, "a.db"));
  const b = openDb(join(dir, "b.db"));
  t.after(() => {
    a.close();
    b.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const sql = "SELECT COUNT(*) AS n FROM accounts";
  assert.equal(stmt(a, sql), stmt(a, sql));
  assert.notEqual(stmt(a, sql), stmt(b, sql));
  assert.deepEqual(stmt(a, sql).get(), { n: 0 });
});
