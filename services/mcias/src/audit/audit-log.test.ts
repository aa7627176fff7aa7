import assert from "node:assert/strict";
import { test } from "node:test";
import { openDb } from "../db/open.ts";
import { AuditLog } from "./audit-log.ts";

function fresh() {
  const db = openDb(":memory:");
  const log = new AuditLog(db);
  for (let i = 0; i < 5; i++)
    log.append({ event: "test", actor: "a", subject: `s${i}`, outcome: "info" });
  return { db, log };
}

test("an untouched chain verifies and queries newest first", () => {
  const { log } = fresh();
  assert.deepEqual(log.verify(), { ok: true, rows: 5, problems: [] });
  const rows = log.query({ limit: 2 });
  assert.deepEqual(
    rows.map((r) => r.seq),
    [5, 4],
  );
  assert.equal(log.query({ subject: "s1" }).length, 1);
});

test("UPDATE and DELETE are refused by triggers", () => {
  const { db } = fresh();
  assert.throws(() => db.prepare("UPDATE audit_log SET actor = 'x'").run(), /append-only/);
  assert.throws(() => db.prepare("DELETE FROM audit_log").run(), /append-only/);
});

test("edited, deleted and truncated rows are detected", () => {
  const { db, log } = fresh();
  db.exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete");
  db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2").run();
  let v = log.verify();
  assert.equal(v.ok, false);
  assert.deepEqual(v.problems, [{ seq: 2, problem: "row content altered" }]);

  const { db: db2, log: log2 } = fresh();
  db2.exec("DROP TRIGGER audit_log_no_delete");
  db2.prepare("DELETE FROM audit_log WHERE seq = 3").run();
  v = log2.verify();
  assert.equal(v.ok, false);
  assert.ok(v.problems.some((p) => p.problem.startsWith("missing rows 3")));

  const { db: db3, log: log3 } = fresh();
  db3.exec("DROP TRIGGER audit_log_no_delete");
  db3.prepare("DELETE FROM audit_log WHERE seq = 5").run();
  assert.equal(log3.verify().ok, false);
});
