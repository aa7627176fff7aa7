import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { tempDirFor } from "@metacircular/testkit";
import Database from "better-sqlite3";
import { openDatabase } from "./open.ts";
import { snapshot } from "./snapshot.ts";

const sqlitePath = createRequire(import.meta.url).resolve("better-sqlite3");

// A separate process writes transactions in a loop: each inserts a row and bumps a counter, so
// a consistent snapshot always has counter == row count.
const WRITER = `
const Database = require(process.env.SQLITE_MODULE);
const db = new Database(process.env.DB_PATH);
db.pragma("busy_timeout = 5000");
const ins = db.prepare("INSERT INTO events (payload) VALUES (?)");
const bump = db.prepare("UPDATE counter SET n = n + 1 WHERE id = 1");
const tx = db.transaction(() => { ins.run(Buffer.alloc(512, 7)); bump.run(); });
let i = 0;
const loop = () => {
  for (let k = 0; k < 50; k++) tx();
  i += 50;
  if (i === 500) process.stdout.write("ready\\n");
  setImmediate(loop);
};
process.on("SIGTERM", () => { db.close(); process.exit(0); });
loop();
`;

test("snapshot is consistent while another process keeps writing", async (t) => {
  const dir = tempDirFor(t, "mc-snap-");
  const path = dir.join("live.db");
  const db = openDatabase(path, {
    migrations: [
      {
        version: 1,
        name: "init",
        up: `CREATE TABLE events (id INTEGER PRIMARY KEY, payload BLOB NOT NULL);
             CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);
             INSERT INTO counter VALUES (1, 0);`,
      },
    ],
  });
  t.after(() => db.close());

  const child = spawn(process.execPath, ["-e", WRITER], {
    env: { ...process.env, DB_PATH: path, SQLITE_MODULE: sqlitePath },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise((r) => child.once("exit", r));
  t.after(async () => {
    child.kill("SIGTERM");
    await exited;
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    child.once("exit", (c) => reject(new Error(`writer exited early (${c})`)));
  });

  const counts: number[] = [];
  const rowsNow = db.prepare("SELECT count(*) FROM events").pluck();
  for (let i = 0; i < 5; i++) {
    // Let the writer commit more before each snapshot, so every one races live writes.
    const seen = rowsNow.get() as number;
    while ((rowsNow.get() as number) === seen) await new Promise((r) => setTimeout(r, 2));
    const dest = dir.join(`snap-${i}.db`);
    const { pages } = await snapshot(db, dest);
    assert.ok(pages > 0);
    assert.equal(statSync(dest).mode & 0o777, 0o600);
    const copy = new Database(dest, { readonly: true });
    try {
      assert.equal(copy.pragma("integrity_check", { simple: true }), "ok");
      const rows = copy.prepare("SELECT count(*) FROM events").pluck().get() as number;
      const n = copy.prepare("SELECT n FROM counter").pluck().get() as number;
      assert.equal(n, rows, "counter and rows disagree: snapshot is torn");
      counts.push(rows);
    } finally {
      copy.close();
    }
  }
  assert.ok(counts[0]! >= 500);
  assert.ok(counts.at(-1)! > counts[0]!, `writer made no progress between snapshots: ${counts}`);
});

test("a snapshot into a missing directory fails and leaves nothing behind", async (t) => {
  const dir = tempDirFor(t, "mc-snap-");
  const db = openDatabase(dir.join("x.db"));
  t.after(() => db.close());
  await assert.rejects(snapshot(db, dir.join("no", "such", "dir.db")), /directory does not exist/);
});
