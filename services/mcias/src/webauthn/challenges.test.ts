import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError } from "@metacircular/mcdsl/errors";
import { ChallengeStore } from "./challenges.ts";

const invalid = (e: unknown) => e instanceof AppError && e.code === "passkey_challenge_invalid";

test("a challenge is taken once, for its purpose and account", () => {
  const s = new ChallengeStore(() => 1000);
  const id = s.put("register", "abc", "acct-1");
  assert.equal(s.take(id, "register", "acct-1").challenge, "abc");
  assert.throws(() => s.take(id, "register", "acct-1"), invalid, "replay");

  const wrongPurpose = s.put("register", "x", "acct-1");
  assert.throws(() => s.take(wrongPurpose, "login"), invalid);
  assert.throws(() => s.take(wrongPurpose, "register", "acct-1"), invalid, "consumed by failure");

  const wrongAccount = s.put("register", "x", "acct-1");
  assert.throws(() => s.take(wrongAccount, "register", "acct-2"), invalid);
  assert.throws(() => s.take("nope", "login"), invalid);
});

test("challenges expire", () => {
  let now = 0;
  const s = new ChallengeStore(() => now, 1000);
  const id = s.put("login", "c", null);
  now = 1000;
  assert.throws(() => s.take(id, "login"), invalid);
});

test("the store is capped and drops the oldest pending challenge first", () => {
  const s = new ChallengeStore(() => 0, 60_000, 3);
  const ids = [1, 2, 3, 4].map((i) => s.put("login", `c${i}`, null));
  assert.equal(s.size, 3);
  assert.throws(() => s.take(ids[0]!, "login"), invalid);
  assert.equal(s.take(ids[3]!, "login").challenge, "c4");
});
