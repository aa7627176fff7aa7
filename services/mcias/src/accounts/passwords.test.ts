import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError } from "@metacircular/mcdsl/errors";
import { BoundedPool, PasswordHasher } from "./passwords.ts";

const fast = { memory_kib: 1024, time_cost: 1, parallelism: 1, max_concurrent: 2, max_queue: 2 };

test("hash is Argon2id with the configured parameters and verifies", async () => {
  const h = new PasswordHasher(fast);
  const hash = await h.hash("correct horse battery");
  assert.match(hash, /^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
  assert.equal(await h.verify(hash, "correct horse battery"), true);
  assert.equal(await h.verify(hash, "wrong"), false);
  assert.equal(await h.verify("garbage", "x"), false);
  assert.equal(await h.dummyVerify("x"), false);
});

test("needsRehash is true when configured parameters rise", async () => {
  const weak = new PasswordHasher(fast);
  const hash = await weak.hash("correct horse battery");
  assert.equal(weak.needsRehash(hash), false);
  const stronger = new PasswordHasher({ ...fast, memory_kib: 2048 });
  assert.equal(stronger.needsRehash(hash), true);
  assert.equal(new PasswordHasher({ ...fast, time_cost: 2 }).needsRehash(hash), true);
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
