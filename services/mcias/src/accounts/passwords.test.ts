import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { AppError } from "@metacircular/mcdsl/errors";
import { BoundedPool, PasswordHasher } from "./passwords.ts";

const fast = {
  memory_kib: 1024,
  time_cost: 1,
  parallelism: 1,
  max_concurrent: 2,
  max_queue: 2,
  nice: 10,
};

test("hash is Argon2id with the configured parameters and verifies", async (t) => {
  const h = new PasswordHasher(fast);
  t.after(() => h.close());
  const hash = await h.hash("correct horse battery");
  assert.match(hash, /^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
  assert.equal(await h.verify(hash, "correct horse battery"), true);
  assert.equal(await h.verify(hash, "wrong"), false);
  assert.equal(await h.verify("garbage", "x"), false);
  assert.equal(await h.dummyVerify("x"), false);
});

test("hashes written by the earlier argon2 binding (m,p,t order) still verify", async (t) => {
  const h = new PasswordHasher(fast);
  t.after(() => h.close());
  const legacy =
    "$argon2id$v=19$m=1024,p=1,t=1$nAMZAJ0/pdz/MCic6FsnoQ$FAVvZjDzfL8KabbpIgQ0jljjF52stH7tPnOUeNbsfOk";
  assert.equal(await h.verify(legacy, "legacy-password-2026"), true);
  assert.equal(await h.verify(legacy, "legacy-password-2027"), false);
  assert.equal(h.needsRehash(legacy), false);
});

test("hashing threads run at the configured lower priority (Linux)", async (t) => {
  const h = new PasswordHasher({ ...fast, max_concurrent: 1, nice: 7 });
  t.after(() => h.close());
  await h.hash("warm up the worker");
  const [tid] = h.workers.threadIds;
  assert.ok(tid, "worker reported its thread id");
  // /proc/<tid>/stat field 19 is the nice value (fields counted after the command name).
  const stat = readFileSync(`/proc/${tid}/stat`, "utf8").split(") ")[1]!.split(" ");
  assert.equal(Number(stat[16]), 7);
  assert.equal(h.workers.threadIds.includes(process.pid), false);
});

test("needsRehash is true when configured parameters rise", async (t) => {
  const weak = new PasswordHasher(fast);
  t.after(() => weak.close());
  const hash = await weak.hash("correct horse battery");
  assert.equal(weak.needsRehash(hash), false);
  const stronger = new PasswordHasher({ ...fast, memory_kib: 2048 });
  const slower = new PasswordHasher({ ...fast, time_cost: 2 });
  t.after(() => Promise.all([stronger.close(), slower.close()]));
  assert.equal(stronger.needsRehash(hash), true);
  assert.equal(slower.needsRehash(hash), true);
});

test("bounded pool refuses work beyond concurrency + queue with 429", async () => {
  const pool = new BoundedPool(1, 1);
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const a = pool.run(() => gate);
  const b = pool.run(async () => "b");
  await assert.rejects(
    pool.run(async () => "c"),
    (e: unknown) => e instanceof AppError && e.status === 429 && e.retryAfter === 1,
  );
  release();
  await a;
  assert.equal(await b, "b");
  assert.equal(pool.busy, 0);
});
