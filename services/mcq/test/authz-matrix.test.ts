// The one access map against a real MCIAS: every route is mapped (completeness), every
// authenticated route refuses no token, a forged token and a valid token issued for another
// service; the document rules for guests, users, system accounts and admins.
import assert from "node:assert/strict";
import { test } from "node:test";
import { missingRoutes } from "@metacircular/mcdsl/http";
import { accessRules, restAccess } from "../src/server/access.ts";
import { failure, startStack } from "./helpers/stack.ts";

const path = (p: string) => p.replace(":slug", "doc");
const BODY = { body: "# Doc\n\ntext" };

test("every route of the app is in the access map", async (t) => {
  const s = await startStack(t);
  assert.deepEqual(missingRoutes(s.mcq.app, accessRules), []);
});

test("authenticated routes refuse no token, a forged token and a token for another service", async (t) => {
  const s = await startStack(t);
  const foreign = await s.token("alice", "mcns");
  const forged = `${(await s.token("alice")).slice(0, -4)}AAAA`;
  await s.api("PUT", "/v1/documents/doc", await s.token("alice"), BODY);
  for (const [key, level] of Object.entries(restAccess)) {
    const [method, p] = key.split(" ") as [string, string];
    const body = method === "PUT" ? BODY : undefined;
    for (const [who, token] of [
      ["no token", undefined],
      ["forged", forged],
      ["token for mcns", foreign],
    ] as const) {
      const r = await s.api(method, path(p), token, body);
      // Public routes answer without a token (login then refuses the missing body: 415).
      if (level === "public") assert.equal(r.status, p === "/v1/auth/login" ? 415 : 200, key);
      else {
        assert.equal(r.status, 401, `${key} ${who}`);
        assert.equal(
          ((await r.json()) as { error: { code: string } }).error.code,
          "unauthenticated",
        );
      }
    }
  }
  const mcp = await fetch(`${s.url}/mcp`, {
    method: "POST",
    headers: { Authorization: `Bearer ${foreign}`, "Content-Type": "application/json" },
    body: "{}",
  });
  assert.equal(mcp.status, 401);
  const page = await fetch(`${s.url}/`, { redirect: "manual" });
  assert.equal(page.status, 302);
  assert.equal(page.headers.get("location"), "/login");
  // A bearer token never reaches the UI without the session, and a session never the API:
  const cookieOnly = await fetch(`${s.url}/v1/documents`, { headers: { Cookie: "mc_session=x" } });
  assert.equal(cookieOnly.status, 401);
});

test("guests read and mark but never push; system accounts push; only pusher or admin deletes", async (t) => {
  const s = await startStack(t);
  const alice = await s.token("alice");
  const bob = await s.token("bob");
  const gus = await s.token("gus");
  await s.mcias.createAccount("ci-bot", { type: "system" });
  const bot = await s.mcias.issueSystemToken("ci-bot", "mcq");
  const admin = await s.token(s.mcias.adminUsername);

  assert.equal((await s.api("PUT", "/v1/documents/doc", alice, BODY)).status, 201);
  assert.deepEqual(await failure(await s.api("PUT", "/v1/documents/g", gus, BODY)), [
    403,
    "push_not_allowed",
  ]);
  assert.equal((await s.api("GET", "/v1/documents/doc", gus)).status, 200);
  assert.equal((await s.api("POST", "/v1/documents/doc/read", gus)).status, 200);
  assert.equal((await s.api("PUT", "/v1/documents/ci", bot, BODY)).status, 201);
  const doc = (await (await s.api("GET", "/v1/documents/ci", alice)).json()) as {
    pushed_by: string;
  };
  assert.equal(doc.pushed_by, "ci-bot");

  assert.deepEqual(await failure(await s.api("DELETE", "/v1/documents/doc", bob)), [
    403,
    "delete_not_allowed",
  ]);
  assert.equal((await s.api("DELETE", "/v1/documents/doc", alice)).status, 204);
  assert.equal((await s.api("DELETE", "/v1/documents/ci", admin)).status, 204);
  assert.equal((await s.api("GET", "/v1/documents/doc", alice)).status, 404);
});
