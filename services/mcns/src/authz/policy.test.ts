import assert from "node:assert/strict";
import { test } from "node:test";
import type { Identity } from "@metacircular/mcdsl/http";
import { canManageRecord } from "./policy.ts";

const zone = "svc.mcp.metacircular.net.";
const who = (
  username: string,
  accountType: "human" | "system",
  roles: string[] = [],
): Identity => ({
  username,
  accountType,
  roles,
});

test("record management follows the name-scoped rules", () => {
  const mcq = "mcq.svc.mcp.metacircular.net.";
  assert.equal(canManageRecord(who("root", "human", ["admin"]), mcq, zone), true);
  assert.equal(
    canManageRecord(who("mcp-agent", "system"), "anything.svc.mcp.metacircular.net.", zone),
    true,
  );
  assert.equal(canManageRecord(who("mcq", "system"), mcq, zone), true);
  assert.equal(canManageRecord(who("MCQ", "system"), "Mcq.svc.mcp.metacircular.net.", zone), true);
  assert.equal(canManageRecord(who("mcq", "system"), "mcr.svc.mcp.metacircular.net.", zone), false);
  assert.equal(
    canManageRecord(who("mcq", "system"), "x.mcq.svc.mcp.metacircular.net.", zone),
    false,
  );
  assert.equal(canManageRecord(who("mcq", "human"), mcq, zone), false);
  assert.equal(canManageRecord(who("mcq", "system", ["guest"]), mcq, zone), false);
});
