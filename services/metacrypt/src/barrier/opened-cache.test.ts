import assert from "node:assert/strict";
import { test } from "node:test";
import { openDatabase } from "@metacircular/mcdsl/db";
import { migrations } from "../db/migrations.ts";
import { Barrier } from "./barrier.ts";
import { MAX_OPENED_BYTES, MAX_OPENED_ENTRIES, OpenedCache } from "./opened-cache.ts";

const PASSWORD = "a long enough password";

async function unsealed() {
  const db = openDatabase(":memory:", { migrations });
  const barrier = new Barrier(db, { memory_kib: 256, time_cost: 1, parallelism: 1 });
  await barrier.initialize({ kind: "password", password: PASSWORD });
  await barrier.unseal({ kind: "password", password: PASSWORD });
  barrier.createMountKey("m");
  return { db, barrier, store: barrier.mountStore("m") };
}

test("a cached entry is served without the database, and a write replaces it", async () => {
  const { db, store } = await unsealed();
  store.put("k", Buffer.from("one"));
  assert.equal(store.get("k")?.toString(), "one");
  // The row is gone underneath: the opened copy still answers (one process owns the database).
  db.prepare("DELETE FROM entries WHERE path = 'mount/m/k'").run();
  assert.equal(store.get("k")?.toString(), "one");
  store.put("k", Buffer.from("two"));
  assert.equal(store.get("k")?.toString(), "two");
  store.delete("k");
  assert.equal(store.get("k"), undefined);
});

test("a caller wiping its buffer does not wipe the cached entry", async () => {
  const { store } = await unsealed();
  store.put("k", Buffer.from("secret"));
  store.get("k")!.fill(0);
  assert.equal(store.get("k")?.toString(), "secret");
});

test("what a rolled-back transaction read is not cached", async () => {
  const { db, store } = await unsealed();
  store.put("k", Buffer.from("committed"));
  assert.throws(() =>
    db.transaction(() => {
      store.put("k", Buffer.from("rolled back"));
      assert.equal(store.get("k")?.toString(), "rolled back");
      throw new Error("abort");
    })(),
  );
  assert.equal(store.get("k")?.toString(), "committed");
});

test("seal zero-fills and forgets the cache; unmounting drops the mount's entries", async () => {
  const { db, barrier, store } = await unsealed();
  store.put("k", Buffer.from("v"));
  store.get("k");
  barrier.seal();
  assert.throws(() => store.get("k"), { code: "sealed" });
  await barrier.unseal({ kind: "password", password: PASSWORD });
  db.prepare("DELETE FROM entries WHERE path = 'mount/m/k'").run();
  assert.equal(barrier.mountStore("m").get("k"), undefined);
  barrier.mountStore("m").put("j", Buffer.from("v"));
  barrier.mountStore("m").get("j");
  barrier.destroyMount("m");
  barrier.createMountKey("m");
  assert.equal(barrier.mountStore("m").get("j"), undefined);
});

test("the cache is bounded in entries and entry size, and clear() zero-fills", () => {
  const c = new OpenedCache();
  for (let i = 0; i <= MAX_OPENED_ENTRIES; i++) c.set(`p${i}`, Buffer.from([i & 0xff]));
  assert.equal(c.size, MAX_OPENED_ENTRIES);
  assert.equal(c.get("p0"), undefined);
  c.set("big", Buffer.alloc(MAX_OPENED_BYTES + 1));
  assert.equal(c.get("big"), undefined);
  const v = Buffer.from("secret");
  c.set("s", v);
  c.clear();
  assert.equal(c.size, 0);
  assert.equal(v.toString(), "secret");
});
