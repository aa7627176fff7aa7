import assert from "node:assert/strict";
import { test } from "node:test";
import { bearerToken, type Identity, isAdmin, isGuest } from "./index.ts";

const id = (roles: string[]): Identity => ({ username: "u", accountType: "human", roles });

test("admin and guest come only from roles", () => {
  assert.equal(isAdmin(id(["admin"])), true);
  assert.equal(isAdmin(id(["user"])), false);
  assert.equal(isAdmin(undefined), false);
  assert.equal(isGuest(id(["guest"])), true);
  assert.equal(isGuest(id(["guest", "admin"])), false);
  assert.equal(isGuest(null), false);
});

test("bearer tokens are parsed strictly", () => {
  assert.equal(bearerToken("Bearer abc.def"), "abc.def");
  assert.equal(bearerToken("bearer  abc "), "abc");
  assert.equal(bearerToken("Basic abc"), undefined);
  assert.equal(bearerToken("Bearer a b"), undefined);
  assert.equal(bearerToken(undefined), undefined);
});
