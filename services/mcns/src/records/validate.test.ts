import assert from "node:assert/strict";
import { test } from "node:test";
import { nextSerial, relativeName } from "./validate.ts";

test("SOA serials are date-based and strictly increasing", () => {
  const d = new Date("2026-11-27T10:00:00Z");
  assert.equal(nextSerial(1, d), 2026112700);
  assert.equal(nextSerial(2026112700, d), 2026112701);
  assert.equal(nextSerial(2026112799, d), 2026112800);
  assert.equal(nextSerial(2030010100, d), 2030010101);
  assert.equal(nextSerial(0xffffffff, d), 1);
});

test("relative names", () => {
  assert.equal(relativeName("svc.example.net.", "svc.example.net."), "@");
  assert.equal(relativeName("MCQ.svc.example.net.", "svc.example.net."), "MCQ");
});
