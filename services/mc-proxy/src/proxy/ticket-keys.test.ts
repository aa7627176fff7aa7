import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TICKET_KEY_BYTES, TicketKeys } from "./ticket-keys.ts";

describe("TicketKeys", () => {
  const HOUR = 3_600_000;

  it("gives every process continuing one chain the same key per context and period", () => {
    let clock = 10 * HOUR + 5;
    const primary = new TicketKeys(HOUR, () => clock);
    const worker = new TicketKeys(HOUR, () => clock);
    assert.notDeepEqual(worker.keyFor("a"), primary.keyFor("a"), "random chains differ");
    worker.reseed(primary.seed());
    const a = primary.keyFor("a");
    assert.equal(a.length, TICKET_KEY_BYTES);
    assert.deepEqual(worker.keyFor("a"), a);
    assert.notDeepEqual(primary.keyFor("b"), a, "contexts never share a key");
    // A worker started later from the primary's current position agrees as well.
    clock += 3 * HOUR;
    const late = new TicketKeys(HOUR, () => clock, primary.seed());
    assert.deepEqual(late.keyFor("a"), worker.keyFor("a"));
    assert.notDeepEqual(worker.keyFor("a"), a, "a new period has a new key");
  });

  it("rotates at period boundaries, the same moment in every process", () => {
    let clock = 7 * HOUR + 1234;
    const k = new TicketKeys(HOUR, () => clock);
    assert.equal(k.nextRotation(), 8 * HOUR);
    const before = k.keyFor("x");
    clock = 8 * HOUR - 1;
    assert.deepEqual(k.keyFor("x"), before);
    clock = 8 * HOUR;
    assert.notDeepEqual(k.keyFor("x"), before);
    assert.equal(k.nextRotation(), 9 * HOUR);
  });

  it("only moves forward: a seed from an earlier period is advanced, never the reverse", () => {
    let clock = 2 * HOUR;
    const a = new TicketKeys(HOUR, () => clock);
    const old = a.seed();
    clock = 5 * HOUR;
    const now = a.seed();
    assert.equal(now.period, 5);
    assert.notEqual(now.link, old.link);
    // Continuing from the old position reaches the same link; nothing leads back to the old one.
    const b = new TicketKeys(HOUR, () => clock, old);
    assert.deepEqual(b.seed(), now);
  });
});
