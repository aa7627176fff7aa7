import assert from "node:assert/strict";
import { test } from "node:test";
import { tempDirFor } from "@metacircular/testkit";
import { appliedVersions, type Migration, MigrationError, migrate } from "./migrate.ts";
import { openDatabase } from "./open.ts";

const M: Migration[] = [
  { version: 1, name: "zones", up: "CREATE TABLE zones (name TEXT PRIMARY KEY)" },
  {
    version: 2,
    name: "seed",
    up: (db) => db.prepare("INSERT INTO zones VALUES (?)").run("example.test"),
  },
];

test("migrations apply in order once and are recorded", (t) => {
  const dir = tempDirFor(t, "mc-mig-");
  const db = openDatabase(dir.join("a.db"), { migrations: [M[1]!, M[0]!] });
  assert.deepEqual(appliedVersions(db), [1, 2]);
  db.close();
  const again = openDatabase(dir.join("a.db"), { migrations: M });
  t.after(() => again.close());
  assert.deepEqual(migrate(again, M), []);
  assert.equal(again.prepare("SELECT count(*) FROM zones").pluck().get(), 1);
  const names = again.prepare("SELECT name FROM schema_migrations ORDER BY version").pluck().all();
  assert.deepEqual(names, ["zones", "seed"]);
});

test("a failing migration rolls back completely and names itself", (t) => {
  const dir = tempDirFor(t, "mc-mig-");
  const db = openDatabase(dir.join("b.db"));
  t.after(() => db.close());
  const bad: Migration = {
    version: 3,
    name: "broken",
    up: "CREATE TABLE half (x); SELECT nope FROM nowhere",
  };
  assert.throws(
    () => migrate(db, [...M, bad]),
    (e: unknown) => e instanceof MigrationError && /3 \(broken\)/.test(e.message),
  );
  assert.deepEqual(appliedVersions(db), [1, 2]);
  const half = db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get();
  assert.equal(half, undefined);
});

test("duplicate or invalid versions and a newer database are refused", (t) => {
  const dir = tempDirFor(t, "mc-mig-");
  const db = openDatabase(dir.join("c.db"), { migrations: M });
  t.after(() => db.close());
  assert.throws(
    () => migrate(db, [M[0]!, { ...M[1]!, version: 1 }]),
    /duplicate migration version 1/,
  );
  assert.throws(() => migrate(db, [{ ...M[0]!, version: 0 }]), /positive integer/);
  assert.throws(() => migrate(db, [M[0]!]), /newer than this program knows/);
});
