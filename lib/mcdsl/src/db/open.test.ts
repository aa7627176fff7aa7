import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDirFor } from "@metacircular/testkit";
import { captureLogs } from "../log/capture.ts";
import { chmodBestEffort, openDatabase } from "./open.ts";

test("openDatabase turns on WAL, foreign keys, busy timeout and mode 0600", (t) => {
  const dir = tempDirFor(t, "mc-db-");
  const path = dir.join("sub", "svc.db");
  const db = openDatabase(path);
  t.after(() => db.close());
  assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
  assert.equal(db.pragma("foreign_keys", { simple: true }), 1);
  assert.equal(db.pragma("busy_timeout", { simple: true }), 5000);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  db.exec("CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p(id))");
  assert.throws(() => db.prepare("INSERT INTO c VALUES (42)").run(), /FOREIGN KEY/);
});

test("a failing chmod is a logged warning, never fatal", () => {
  const cap = captureLogs();
  assert.equal(chmodBestEffort("/nonexistent/dir/x.db", 0o600, cap.logger), false);
  const rec = cap.records()[0]!;
  assert.equal(rec.level, "warn");
  assert.equal(rec.code, "ENOENT");
  assert.match(String(rec.msg), /continuing/);
});

test("readonly open of a missing file fails cleanly", (t) => {
  const dir = tempDirFor(t, "mc-db-");
  assert.throws(() => openDatabase(dir.join("missing.db"), { readonly: true }), /unable to open/);
});

test("openDatabase survives a chmod the filesystem refuses (EPERM)", (t) => {
  if (process.getuid?.() !== 0) {
    // Not root: any file we do not own refuses chmod the same way.
    assert.equal(chmodBestEffort("/", 0o755), false);
    return;
  }
  const dir = tempDirFor(t, "mc-db-eperm-");
  chmodSync(dir.path, 0o777);
  const path = dir.join("shared.db");
  const db = openDatabase(path);
  db.exec("CREATE TABLE t (v TEXT)");
  db.close();
  chmodSync(path, 0o666); // writable by others, but only root may chmod it
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "testdata/open-as-other-user.ts"), path],
    { uid: 65534, gid: 65534, cwd: process.cwd(), env: { ...process.env, HOME: "/tmp" } },
  ).toString();
  const res = JSON.parse(out) as { rows: number; logs: Record<string, unknown>[] };
  assert.equal(res.rows, 1);
  const warn = res.logs.find((r) => r.level === "warn");
  assert.equal(warn?.code, "EPERM");
  assert.equal(statSync(path).mode & 0o777, 0o666);
});
