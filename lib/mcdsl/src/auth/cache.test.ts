import assert from "node:assert/strict";
import { test } from "node:test";
import { tokenKey, ValidationCache } from "./cache.ts";

test("entries expire, evict by token id, and keys are SHA-256 hex", () => {
  const c = new ValidationCache();
  const k = tokenKey("tok");
  assert.match(k, /^[0-9a-f]{64}$/);
  assert.notEqual(k, "tok");
  c.set(k, { username: "a", accountType: "human", roles: [], tokenId: "j1" }, 1000);
  assert.equal(c.get(k, 999)?.username, "a");
  assert.equal(c.evictTokenId("j1"), true);
  assert.equal(c.get(k, 999), undefined);
  c.set(k, null, 1000);
  assert.equal(c.get(k, 500), null);
  assert.equal(c.get(k, 1000), undefined);
  assert.equal(c.size, 0);
});
