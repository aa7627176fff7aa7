// MCAT's access map against a real MCIAS: every route is mapped, and every page and action is
// refused to everyone but an MCIAS administrator — users, guests, system accounts (403), and no
// token, a forged token or a valid token for another service (401; pages redirect to /login).
import assert from "node:assert/strict";
import { test } from "node:test";
import { missingRoutes } from "@metacircular/mcdsl/http";
import { matrixPrincipals } from "@metacircular/testkit";
import { accessRules } from "../src/server/access.ts";
import { startStack } from "./helpers/stack.ts";

const path = (p: string) => p.replace(":version", "1").replace(":file", "x");

test("every route of the app is in the access map", async (t) => {
  const s = await startStack(t);
  assert.deepEqual(missingRoutes(s.mcat.app, accessRules), []);
});

test("every admin page and action refuses all but an administrator", async (t) => {
  const s = await startStack(t);
  const p = await matrixPrincipals(s.mcias, { service: "mcat" });
  const refusedAs: Array<[string, string | undefined, number]> = [
    ["user", p.human, 403],
    ["guest", p.guest, 403],
    ["system account", p.agent, 403],
    ["other system account", p.other, 403],
    ["no token", p.none, 401],
    ["forged token", p.bogus, 401],
    ["admin token for mcias", p.foreign, 401],
    ["system token for mc-proxy", p.foreignSystem, 401],
  ];
  const adminRoutes = Object.entries(accessRules).filter(([, level]) => level === "admin");
  assert.equal(adminRoutes.length, 9);
  for (const [key] of adminRoutes) {
    const [method, p0] = key.split(" ") as [string, string];
    for (const [who, token, status] of refusedAs) {
      const r = await s.page(method, path(p0), token);
      const expected = status === 401 && method === "GET" ? 302 : status;
      assert.equal(r.status, expected, `${key} as ${who}`);
      if (expected === 302) assert.equal(r.headers.get("location"), "/login");
      await r.body?.cancel();
    }
    const admin = await s.page(method, path(p0), p.admin);
    // The administrator is let through the access map: pages render; a POST without the
    // CSRF token of a session is refused by the CSRF check, never by the access map.
    if (method === "GET") assert.equal(admin.status, 200, `${key} as admin`);
    else assert.equal(admin.status, 403, `${key} as admin without CSRF`);
    const body = await admin.text();
    if (method === "POST") assert.match(body, /csrf/i);
  }
});
