// RFC 6750 §3 challenges: accessMap and requireBearer answer a missing token without an error
// attribute, a bad one with error="invalid_token" and a user on an admin route with
// error="insufficient_scope"; the realm is the service name unless the caller names one.
import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError } from "../errors/index.ts";
import type { Identity, TokenValidator } from "../identity/index.ts";
import { silentLogger } from "../log/logger.ts";
import { accessMap } from "./access-map.ts";
import { createApp } from "./app.ts";
import { bearerChallenge, requireBearer } from "./bearer-auth.ts";

const TOKENS: Record<string, Identity> = {
  "tok-user": { username: "alice", accountType: "human", roles: ["user"] },
  "tok-admin": { username: "root", accountType: "human", roles: ["admin"] },
};
const validator: TokenValidator = { validate: async (t) => TOKENS[t] ?? null };

function build(realm?: string) {
  const app = createApp({ service: "notes", version: "0", logger: silentLogger() });
  const map = { "GET /v1/me": "authenticated", "POST /v1/notes": "admin" } as const;
  app.use(accessMap(map, validator, realm === undefined ? {} : { realm }));
  app.get("/v1/me", (c) => c.json({ me: c.get("identity")?.username }));
  app.post("/v1/notes", (c) => c.json({ created: true }, 201));
  return app;
}

const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

test("no token: 401 with a bare challenge naming the service", async () => {
  const r = await build().request("/v1/me");
  assert.equal(r.status, 401);
  assert.equal(r.headers.get("WWW-Authenticate"), 'Bearer realm="notes"');
  const body = (await r.json()) as { error: { code: string } };
  assert.equal(body.error.code, "unauthenticated");
});

test("a token the validator refuses: 401 invalid_token", async () => {
  const r = await build().request("/v1/me", { headers: bearer("forged") });
  assert.equal(r.status, 401);
  assert.equal(r.headers.get("WWW-Authenticate"), 'Bearer realm="notes", error="invalid_token"');
});

test("a user on an admin route: 403 insufficient_scope; success carries no challenge", async () => {
  const app = build();
  const r = await app.request("/v1/notes", { method: "POST", headers: bearer("tok-user") });
  assert.equal(r.status, 403);
  assert.equal(
    r.headers.get("WWW-Authenticate"),
    'Bearer realm="notes", error="insufficient_scope"',
  );
  const ok = await app.request("/v1/notes", { method: "POST", headers: bearer("tok-admin") });
  assert.equal(ok.status, 201);
  assert.equal(ok.headers.get("WWW-Authenticate"), null);
});

test("a named realm replaces the service name", async () => {
  const r = await build("example zone API").request("/v1/me");
  assert.equal(r.headers.get("WWW-Authenticate"), 'Bearer realm="example zone API"');
});

test("requireBearer: a validator's own 401 keeps its code and gets invalid_token", async () => {
  const app = createApp({ service: "svc", version: "0", logger: silentLogger() });
  app.get("/x", async (c) => {
    const id = await requireBearer(c, "authenticated", {
      validate: (t) => {
        if (t === "other") throw AppError.unauthenticated("not for us", "wrong_audience");
        return t === "good" ? { name: "bob" } : null;
      },
      isAdmin: () => false,
    });
    return c.json(id);
  });
  const r = await app.request("/x", { headers: bearer("other") });
  assert.equal(r.status, 401);
  assert.equal(r.headers.get("WWW-Authenticate"), 'Bearer realm="svc", error="invalid_token"');
  assert.equal(((await r.json()) as { error: { code: string } }).error.code, "wrong_audience");
  assert.deepEqual(await (await app.request("/x", { headers: bearer("good") })).json(), {
    name: "bob",
  });
});

test("bearerChallenge drops characters that would break the quoted realm", () => {
  assert.equal(bearerChallenge('a"b\\c\nd'), 'Bearer realm="abcd"');
  assert.equal(bearerChallenge("r", "invalid_token"), 'Bearer realm="r", error="invalid_token"');
});
