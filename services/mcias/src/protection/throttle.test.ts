import assert from "node:assert/strict";
import { test } from "node:test";
import { openDb } from "../db/open.ts";
import { LoginThrottle } from "./throttle.ts";

const cfg = { free_failures: 5, base_delay_s: 1, max_delay_s: 900, ip_failures_per_min: 20 };

test("first five failures are free, then the delay doubles up to 15 minutes", () => {
  let now = 1_000_000;
  const t = new LoginThrottle(openDb(":memory:"), cfg, () => now);
  for (let i = 0; i < 5; i++) {
    assert.equal(t.retryAfter("bob", `10.0.0.${i}`), 0);
    t.recordFailure("bob", `10.0.0.${i}`);
  }
  assert.equal(t.retryAfter("bob", "10.1.0.1"), 0);
  const delays: number[] = [];
  for (let i = 0; i < 12; i++) {
    t.recordFailure("bob", `10.2.0.${i}`);
    delays.push(t.retryAfter("bob", "10.9.9.9"));
    now += delays.at(-1)! * 1000;
  }
  assert.deepEqual(delays, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
  assert.equal(t.unlock("bob"), true);
  assert.equal(t.retryAfter("bob", "10.9.9.9"), 0);
});

test("an IP is limited to 20 failures per sliding minute; other IPs are unaffected", () => {
  let now = 5_000_000;
  const t = new LoginThrottle(openDb(":memory:"), cfg, () => now);
  for (let i = 0; i < 20; i++) t.recordFailure(`user${i}`, "192.0.2.1");
  assert.equal(t.retryAfter("fresh", "192.0.2.1"), 60);
  assert.equal(t.retryAfter("fresh", "192.0.2.2"), 0);
  now += 60_001;
  assert.equal(t.retryAfter("fresh", "192.0.2.1"), 0);
});

test("attempts in flight count against the limits", () => {
  const t = new LoginThrottle(
    openDb(":memory:"),
    { ...cfg, ip_failures_per_min: 2, free_failures: 1 },
    () => 1,
  );
  const a = t.begin("x", "ip1");
  const b = t.begin("y", "ip1");
  assert.equal(a.wait + b.wait, 0);
  assert.equal(t.begin("z", "ip1").wait, 1);
  a.release();
  b.release();
  const c = t.begin("x", "ip2");
  assert.equal(c.wait, 0);
  assert.equal(t.begin("x", "ip3").wait, 1);
  c.release();
  assert.equal(t.begin("x", "ip3").wait, 0);
});

test("prune drops decayed counters only", () => {
  let now = 10_000_000;
  const t = new LoginThrottle(openDb(":memory:"), cfg, () => now);
  t.recordFailure("old", "ip");
  now += 25 * 3600 * 1000;
  t.recordFailure("new", "ip");
  assert.equal(t.prune(), 1);
  assert.equal(t.failures("old"), 0);
  assert.equal(t.failures("new"), 1);
});
