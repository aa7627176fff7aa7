import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError, errorBody } from "./index.ts";

test("AppError carries status, stable code and the REST body shape", () => {
  const e = AppError.conflict("cname_conflict", "a CNAME cannot coexist with other data");
  assert.equal(e.status, 409);
  assert.equal(e.code, "cname_conflict");
  assert.deepEqual(e.toBody(), {
    error: { code: "cname_conflict", message: "a CNAME cannot coexist with other data" },
  });
  assert.ok(e instanceof Error);
});

test("tooManyRequests keeps the retry hint", () => {
  const e = AppError.tooManyRequests(7);
  assert.equal(e.status, 429);
  assert.equal(e.retryAfter, 7);
  assert.deepEqual(errorBody("x", "y"), { error: { code: "x", message: "y" } });
});
