import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConnSet, coarseClock, type Sweepable } from "./conn-set.ts";

class Fake implements Sweepable {
  closed = false;
  constructor(
    private readonly set: ConnSet<Fake>,
    public idleSince: number | null,
  ) {
    set.add(this);
  }
  sweep(deadline: number): void {
    if (this.idleSince !== null && this.idleSince <= deadline) {
      this.closed = true;
      this.set.delete(this); // as a socket's 'close' handler does, during the sweep
    }
  }
}

describe("ConnSet", () => {
  it("closes exactly the connections idle for idleMs plus one tick or more", () => {
    const set = new ConnSet<Fake>(30_000);
    const old = new Fake(set, 1000);
    const edge = new Fake(set, 4000);
    const fresh = new Fake(set, 20_000);
    const busy = new Fake(set, null);
    const recent = new Fake(set, 4500);
    // Activity is noted on a clock that lags by up to one tick (1 s): 31 s idle, never less.
    set.sweepNow(35_000);
    assert.deepEqual(
      [old.closed, edge.closed, fresh.closed, busy.closed, recent.closed],
      [true, true, false, false, false],
    );
    assert.equal(coarseClock.now, 35_000);
    set.delete(recent);
    assert.equal(set.size, 2);
    set.sweepNow(52_000);
    assert.equal(fresh.closed, true);
    assert.equal(set.size, 1);
    set.delete(busy);
    assert.equal(set.size, 0);
  });

  it("runs its sweep on a timer while it holds connections", async () => {
    const set = new ConnSet<Fake>(5, 10);
    const keep = setTimeout(() => {}, 5000); // the set's timer is unref'd
    const c = new Fake(set, performance.now());
    for (let i = 0; i < 100 && !c.closed; i++) await new Promise((r) => setTimeout(r, 10));
    clearTimeout(keep);
    assert.equal(c.closed, true);
    assert.equal(set.size, 0);
  });
});
