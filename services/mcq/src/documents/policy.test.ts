import assert from "node:assert/strict";
import { test } from "node:test";
import type { Identity } from "@metacircular/mcdsl/identity";
import { mayPush } from "./policy.ts";

const id = (accountType: "human" | "system", roles: string[]): Identity => ({
  username: "x",
  accountType,
  roles,
});

test("[documents] pushers decides for users and system accounts; admins always, guests never", () => {
  const user = id("human", ["user"]);
  const guest = id("human", ["guest"]);
  const system = id("system", []);
  const admin = id("human", ["admin"]);
  assert.equal(mayPush(user, ["user", "system"]), true);
  assert.equal(mayPush(system, ["user", "system"]), true);
  assert.equal(mayPush(guest, ["user", "system"]), false);
  assert.equal(mayPush(user, ["system"]), false);
  assert.equal(mayPush(system, ["user"]), false);
  assert.equal(mayPush(admin, []), true);
  assert.equal(mayPush(id("human", ["guest", "admin"]), []), true);
});
