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

test("record() commits the events of one event-loop turn together, in call order, before resolving", async () => {
  const db = openDatabase(":memory:", { migrations });
  const log = new AuditLog(db);
  log.append({ actor: "first", action: "init", decision: "info" });
  const commits: number[] = [];
  const counted = () =>
    (db.prepare("SELECT count(*) AS n FROM audit_log").get() as { n: number }).n;
  const pending = ["a", "b", "c"].map((actor) =>
    log.record({ actor, action: "encrypt", mount: "t", decision: "allow" }).then((row) => {
      commits.push(counted());
      return row;
    }),
  );
  assert.equal(counted(), 1, "nothing is written before the turn ends");
  const rows = await Promise.all(pending);
  assert.deepEqual(
    rows.map((r) => [r.seq, r.actor]),
    [
      [2, "a"],
      [3, "b"],
      [4, "c"],
    ],
  );
  assert.deepEqual(commits, [4, 4, 4], "each caller resumes after the whole group is committed");
  assert.deepEqual(log.verify(), { ok: true, rows: 4 });
});

test("when the group's transaction fails, every caller of the group is refused", async () => {
  const db = openDatabase(":memory:", { migrations });
  const log = new AuditLog(db);
  const a = log.record({ actor: "a", action: "encrypt", decision: "allow" });
  const b = log.record({ actor: "b", action: "encrypt", decision: "allow" });
  db.close();
  await assert.rejects(a);
  await assert.rejects(b);
});
