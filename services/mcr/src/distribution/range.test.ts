import assert from "node:assert/strict";
import { test } from "node:test";
import { parseContentRange, parseRange } from "./range.ts";

test("Range over a blob: satisfiable, suffix, open-ended, unsatisfiable, ignored", () => {
  assert.deepEqual(parseRange("bytes=0-9", 100), { kind: "partial", start: 0, end: 9 });
  assert.deepEqual(parseRange("bytes=90-200", 100), { kind: "partial", start: 90, end: 99 });
  assert.deepEqual(parseRange("bytes=-10", 100), { kind: "partial", start: 90, end: 99 });
  assert.deepEqual(parseRange("bytes=-500", 100), { kind: "partial", start: 0, end: 99 });
  assert.deepEqual(parseRange("bytes=50-", 100), { kind: "partial", start: 50, end: 99 });
  assert.deepEqual(parseRange("bytes=100-", 100), { kind: "unsatisfiable" });
  assert.deepEqual(parseRange("bytes=-0", 100), { kind: "unsatisfiable" });
  assert.deepEqual(parseRange("bytes=0-1,5-6", 100), { kind: "whole" });
  assert.deepEqual(parseRange("bytes=9-3", 100), { kind: "whole" });
  assert.deepEqual(parseRange(undefined, 100), { kind: "whole" });
});

test("Content-Range of an upload chunk", () => {
  assert.deepEqual(parseContentRange("0-1023"), { start: 0, end: 1023 });
  assert.deepEqual(parseContentRange("bytes 10-19/*"), { start: 10, end: 19 });
  assert.equal(parseContentRange("19-10"), null);
  assert.equal(parseContentRange("abc"), null);
  assert.equal(parseContentRange(undefined), undefined);
});
