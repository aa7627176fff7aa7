import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError } from "@metacircular/mcdsl/errors";
import { UnsealThrottle } from "./unseal-throttle.ts";

const refused = (fn: () => void): number | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, "unseal_throttled");
    assert.equal(e.status, 429);
    return e.retryAfter;
  }
};

test("per source: the limit refuses that source only, until the window moves on", () => {
  let now = 1_000_000;
  const t = new UnsealThrottle({ windowMs: 60_000, perSource: 3, global: 100 }, () => now);
  for (let i = 0; i < 3; i++) {
    t.check("a");
    t.failed("a");
    now += 1000;
  }
  assert.equal(
    refused(() => t.check("a")),
    57,
  );
  assert.equal(
    refused(() => t.check("b")),
    undefined,
  );
  now += 57_000;
  assert.equal(
    refused(() => t.check("a")),
    undefined,
  );
});

test("globally: many sources together hit the global limit; a success clears its source", () => {
  let now = 0;
  const t = new UnsealThrottle({ windowMs: 10_000, perSource: 3, global: 4 }, () => now);
  t.failed("a");
  t.failed("a");
  t.succeeded("a");
  t.failed("b");
  t.failed("c");
  assert.ok(refused(() => t.check("d")) !== undefined, "global limit");
  now += 10_001;
  assert.equal(
    refused(() => t.check("d")),
    undefined,
  );
});

test("attempts under way count: a burst cannot pass the check before the first one fails", () => {
  const t = new UnsealThrottle({ windowMs: 60_000, perSource: 3, global: 5 }, () => 0);
  for (let i = 0; i < 3; i++) t.begin("a");
  assert.equal(
    refused(() => t.begin("a")),
    1,
    "three under way: the fourth is refused",
  );
  t.begin("b");
  t.begin("b");
  assert.ok(refused(() => t.begin("c")) !== undefined, "five under way in all");
  t.finish("a", "neither");
  t.finish("b", "succeeded");
  for (let i = 0; i < 2; i++) t.finish("a", "failed");
  t.begin("a");
  assert.equal(
    refused(() => t.begin("a")),
    60,
    "two failures and one under way: the window of the first failure",
  );
});
