import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeadlineQueue } from "./deadline-queue.ts";

function fakeClock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("DeadlineQueue", () => {
  it("expires items once their fixed duration has passed, oldest first", () => {
    const c = fakeClock();
    const expired: string[] = [];
    const q = new DeadlineQueue<string>(100, (s) => expired.push(s), { now: c.now });
    q.add("a");
    c.advance(30);
    q.add("b");
    c.advance(69);
    assert.equal(q.run(), 0);
    c.advance(1);
    assert.equal(q.run(), 1);
    assert.deepEqual(expired, ["a"]);
    c.advance(30);
    assert.equal(q.run(), 1);
    assert.deepEqual(expired, ["a", "b"]);
    assert.equal(q.size, 0);
    q.close();
  });

  it("never expires a cancelled item, and expires each item at most once", () => {
    const c = fakeClock();
    const expired: number[] = [];
    const q = new DeadlineQueue<number>(50, (n) => expired.push(n), { now: c.now });
    const ds = [1, 2, 3, 4].map((n) => q.add(n));
    q.cancel(ds[1]!);
    q.cancel(ds[3]!);
    c.advance(50);
    assert.equal(q.run(), 2);
    assert.equal(q.run(), 0);
    q.cancel(ds[0]!); // after expiry: no effect
    assert.deepEqual(expired, [1, 3]);
    assert.equal(ds[0]!.item, null);
    q.close();
  });

  it("keeps working across compaction of a long queue", () => {
    const c = fakeClock();
    let expired = 0;
    const q = new DeadlineQueue<number>(10, () => expired++, { now: c.now });
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3000; i++) {
        const d = q.add(i);
        if (i % 3 === 0) q.cancel(d);
        if (i % 1000 === 999) {
          c.advance(10);
          q.run();
        }
      }
    }
    c.advance(10);
    q.run();
    assert.equal(expired, 5 * 2000);
    assert.equal(q.size, 0);
    q.close();
  });

  it("fires on its own timer without one timer per item", async () => {
    const got: number[] = [];
    const keep = setTimeout(() => {}, 5000); // the queue's own timer is unref'd
    await new Promise<void>((res) => {
      const q = new DeadlineQueue<number>(
        20,
        (n) => {
          got.push(n);
          if (got.length === 3) {
            q.close();
            res();
          }
        },
        { slackMs: 5 },
      );
      q.add(1);
      q.add(2);
      setTimeout(() => q.add(3), 30);
    });
    clearTimeout(keep);
    assert.deepEqual(got, [1, 2, 3]);
  });
});
