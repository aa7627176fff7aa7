import assert from "node:assert/strict";
import { test } from "node:test";
import { openDatabase } from "@metacircular/mcdsl/db";
import { migrations } from "../db/migrations.ts";
import { AuditLog } from "./audit-log.ts";

test("the chain verifies, refuses edits, and detects a changed or a cut-off row", () => {
  const db = openDatabase(":memory:", { migrations });
  const log = new AuditLog(db);
  for (let i = 0; i < 5; i++)
    log.append({
      actor: `u${i}`,
      action: "issue",
      mount: "pki",
      target: "\ud800odd",
      decision: "allow",
      rule: "r",
    });
  assert.deepEqual(log.verify(), { ok: true, rows: 5 });
  assert.throws(
    () => db.prepare("UPDATE audit_log SET actor = 'x' WHERE seq = 2").run(),
    /append-only/,
  );
  assert.throws(() => db.prepare("DELETE FROM audit_log WHERE seq = 5").run(), /append-only/);
  // Someone with the file drops the triggers and edits a row: the hash no longer matches.
  db.exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;");
  db.prepare("UPDATE audit_log SET decision = 'deny' WHERE seq = 3").run();
  assert.equal(log.verify().problem, "row 3: hash mismatch");
  db.prepare("UPDATE audit_log SET decision = 'allow' WHERE seq = 3").run();
  db.prepare("DELETE FROM audit_log WHERE seq = 5").run();
  assert.equal(log.verify().problem, "head does not match the last row");
});
