// Seeded fuzz of the audit writer: arbitrary strings (lone surrogates, NULs, every plane, long
// text) in every field; the chain must verify after each batch and every stored field must read
// back as the well-formed form of what was written. Replay with MC_FUZZ_SEED=<seed>.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { rng } from "@metacircular/testkit";
import { openDb } from "../db/open.ts";
import { AuditLog, type AuditOutcome, wellFormed } from "./audit-log.ts";

const SEED = Number(process.env.MC_FUZZ_SEED ?? Date.now() % 1_000_000);

function fuzzString(rnd: () => number): string {
  const shape = rnd();
  const len = shape < 0.01 ? 2000 + Math.floor(rnd() * 30_000) : Math.floor(rnd() * 24);
  const parts: string[] = [];
  for (let i = 0; i < len; i++) {
    const k = rnd();
    if (k < 0.15) parts.push(String.fromCharCode(0xd800 + Math.floor(rnd() * 0x800)));
    else if (k < 0.2) parts.push("\u0000");
    else if (k < 0.5) parts.push(String.fromCodePoint(Math.floor(rnd() * 0x80)));
    else if (k < 0.75) parts.push(String.fromCodePoint(0x10000 + Math.floor(rnd() * 0x100000)));
    else {
      const cp = Math.floor(rnd() * 0x10000);
      parts.push(String.fromCharCode(cp));
    }
  }
  return parts.join("");
}

const OUTCOMES: AuditOutcome[] = ["success", "failure", "denied", "info"];

test(`audit writer fuzz: arbitrary strings keep the chain verifiable (MC_FUZZ_SEED=${SEED})`, () => {
  const rnd = rng(SEED).next;
  const db = openDb(":memory:");
  const log = new AuditLog(db);
  let total = 0;
  for (let batch = 0; batch < 20; batch++) {
    const written: { actor: string; subject: string; ip: string; event: string }[] = [];
    for (let i = 0; i < 25; i++) {
      const e = {
        event: fuzzString(rnd),
        actor: fuzzString(rnd),
        subject: fuzzString(rnd),
        ip: fuzzString(rnd),
        outcome: OUTCOMES[Math.floor(rnd() * OUTCOMES.length)]!,
        detail: { [fuzzString(rnd)]: fuzzString(rnd), n: [fuzzString(rnd)] },
      };
      const row = log.append(e);
      written.push(e);
      total++;
      assert.equal(row.seq, total);
    }
    const v = log.verify();
    assert.deepEqual(v.problems, [], `seed ${SEED}, batch ${batch}`);
    assert.equal(v.rows, total);
    const back = log.query({ sinceSeq: total - written.length, limit: 1000 }).reverse();
    back.forEach((r, i) => {
      const w = written[i]!;
      assert.equal(r.actor, wellFormed(w.actor), `seed ${SEED}: actor of row ${r.seq}`);
      assert.equal(r.subject, wellFormed(w.subject), `seed ${SEED}: subject of row ${r.seq}`);
      assert.equal(r.ip, wellFormed(w.ip), `seed ${SEED}: ip of row ${r.seq}`);
      assert.equal(r.event, wellFormed(w.event), `seed ${SEED}: event of row ${r.seq}`);
    });
  }
});

test("a lone surrogate in a field is stored as U+FFFD and the chain verifies", () => {
  const log = new AuditLog(openDb(":memory:"));
  log.append({ event: "login_failure", subject: "al\ud800ice", ip: "\udc00", outcome: "failure" });
  log.append({ event: "x", actor: "a\u0000b", detail: { "k\ud800": "v\udfff" }, outcome: "info" });
  assert.deepEqual(log.verify(), { ok: true, rows: 2, problems: [] });
  const [second, first] = log.query();
  assert.equal(first!.subject, "al\ufffdice");
  assert.equal(first!.ip, "\ufffd");
  assert.equal(second!.actor, "a\u0000b");
  assert.deepEqual(JSON.parse(second!.detail), { "k\ud800": "v\udfff" });
});

test("rows written before the fix (a lone surrogate hashed as an escape) still verify", () => {
  const db = openDb(":memory:");
  const log = new AuditLog(db);
  log.append({ event: "first", outcome: "info" });
  const head = db.prepare("SELECT seq, hash FROM audit_head").get() as {
    seq: number;
    hash: string;
  };
  // What the old writer did: hash the JS string (JSON.stringify escapes the surrogate) and bind
  // it as is (SQLite stores the surrogate's 3-byte form, which reads back as U+FFFD).
  const row = {
    seq: head.seq + 1,
    ts: 1,
    event: "login_failure",
    actor: null,
    subject: "al\ud800ice",
    ip: "127.0.0.1",
    outcome: "failure",
    detail: "{}",
    prev_hash: head.hash,
  };
  const hash = createHash("sha256")
    .update(
      JSON.stringify([
        row.seq,
        row.ts,
        row.event,
        row.actor,
        row.subject,
        row.ip,
        row.outcome,
        row.detail,
        row.prev_hash,
      ]),
    )
    .digest("hex");
  db.prepare(
    `INSERT INTO audit_log (seq, ts, event, actor, subject, ip, outcome, detail, prev_hash, hash)
       VALUES (@seq, @ts, @event, @actor, @subject, @ip, @outcome, @detail, @prev_hash, @hash)`,
  ).run({ ...row, hash });
  db.prepare("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1").run(row.seq, hash);
  log.append({ event: "after", subject: "al\ud800ice", outcome: "info" });
  assert.deepEqual(log.verify(), { ok: true, rows: 3, problems: [] });

  db.exec("DROP TRIGGER audit_log_no_update");
  db.prepare("UPDATE audit_log SET ip = '10.0.0.1' WHERE seq = 2").run();
  assert.deepEqual(log.verify().problems, [{ seq: 2, problem: "row content altered" }]);
});
