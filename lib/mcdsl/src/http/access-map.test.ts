import assert from "node:assert/strict";
import { test } from "node:test";
import { Hono } from "hono";
import type { Identity, TokenValidator } from "../identity/index.ts";
import { silentLogger } from "../log/logger.ts";
import { accessMap, missingRoutes, type RouteMap } from "./access-map.ts";
import { createApp } from "./app.ts";
import type { AppEnv } from "./env.ts";

const TOKENS: Record<string, Identity> = {
  "tok-user": { username: "alice", accountType: "human", roles: ["user"] },
  "tok-admin": { username: "root", accountType: "human", roles: ["admin"] },
};
const validator: TokenValidator = { validate: async (t) => TOKENS[t] ?? null };

const MAP: RouteMap = {
  "GET /v1/zones": "public",
  "GET /v1/zones/:zone": "authenticated",
  "POST /v1/zones": "admin",
  "GET /v1/me": "authenticated",
};

function build(v: TokenValidator = validator) {
  const app = createApp({ service: "s", version: "0", logger: silentLogger() });
  app.use(accessMap(MAP, v));
  const api = new Hono<AppEnv>();
  api.get("/zones", (c) => c.json({ zones: [], who: c.get("identity")?.username ?? null }));
  api.get("/zones/:zone", (c) => c.json({ zone: c.req.param("zone") }));
  api.post("/zones", (c) => c.json({ created: true }, 201));
  api.get("/me", (c) => c.json({ me: c.get("identity")?.username }));
  api.delete("/zones/:zone", (c) => c.json({ deleted: true })); // deliberately not in MAP
  api.all("/anything", (c) => c.json({ reached: true })); // app.all: a route, also not in MAP
  app.route("/v1", api);
  return app;
}

const auth = (t: string) => ({ headers: { Authorization: `Bearer ${t}` } });
const code = async (r: Response) => ((await r.json()) as { error: { code: string } }).error.code;

test("public routes need no token but see a valid one", async () => {
  const app = build();
  assert.equal((await app.request("/v1/zones")).status, 200);
  const r = await app.request("/v1/zones", auth("tok-user"));
  assert.equal(((await r.json()) as { who: string }).who, "alice");
  assert.equal((await app.request("/v1/health")).status, 200);
});

test("authenticated routes: 401 without or with a bad token, 200 with a good one", async () => {
  const app = build();
  const none = await app.request("/v1/zones/example.test");
  assert.equal(none.status, 401);
  assert.equal(await code(none), "unauthenticated");
  assert.equal((await app.request("/v1/zones/x", auth("forged"))).status, 401);
  assert.equal((await app.request("/v1/me", { method: "HEAD" })).status, 401);
  assert.equal((await app.request("/v1/me", { method: "HEAD", ...auth("tok-user") })).status, 200);
  const ok = await app.request("/v1/me", auth("tok-user"));
  assert.deepEqual(await ok.json(), { me: "alice" });
});

test("admin routes: 403 for users, allowed for admins", async () => {
  const app = build();
  const user = await app.request("/v1/zones", { method: "POST", ...auth("tok-user") });
  assert.equal(user.status, 403);
  assert.equal((await app.request("/v1/zones", { method: "POST" })).status, 401);
  assert.equal(
    (await app.request("/v1/zones", { method: "POST", ...auth("tok-admin") })).status,
    201,
  );
});

test("a route missing from the map is refused even for admins; unknown paths stay 404", async () => {
  const app = build();
  const r = await app.request("/v1/zones/x", { method: "DELETE", ...auth("tok-admin") });
  assert.equal(r.status, 403);
  assert.equal(await code(r), "route_not_mapped");
  assert.equal((await app.request("/v1/nothing-here", auth("tok-admin"))).status, 404);
  const all = await app.request("/v1/anything", { method: "POST" });
  assert.equal(all.status, 403);
});

test("missingRoutes lists exactly the undeclared routes", () => {
  assert.deepEqual(missingRoutes(build(), MAP), ["ALL /v1/anything", "DELETE /v1/zones/:zone"]);
});

test("an app.all() route declared as ALL is served at its level", async () => {
  const app = createApp({ service: "s", version: "0", logger: silentLogger() });
  app.use(accessMap({ "ALL /v1/any": "authenticated" }, validator));
  app.all("/v1/any", (c) => c.json({ method: c.req.method }));
  assert.equal((await app.request("/v1/any", { method: "PUT" })).status, 401);
  const ok = await app.request("/v1/any", { method: "PUT", ...auth("tok-user") });
  assert.deepEqual(await ok.json(), { method: "PUT" });
  assert.deepEqual(missingRoutes(app, { "ALL /v1/any": "authenticated" }), []);
});

test("a validator outage is 503 on protected routes; public routes keep working", async () => {
  const broken: TokenValidator = { validate: () => Promise.reject(new Error("ECONNREFUSED")) };
  const app = build(broken);
  const r = await app.request("/v1/me", auth("tok-user"));
  assert.equal(r.status, 503);
  assert.equal(r.headers.get("Retry-After"), "5");
  const pub = await app.request("/v1/zones", auth("tok-user"));
  assert.deepEqual(await pub.json(), { zones: [], who: null });
  assert.equal((await app.request("/v1/health", auth("tok-user"))).status, 200);
});

test("malformed map keys and levels are rejected at startup", () => {
  assert.throws(() => accessMap({ "/v1/x": "public" }, validator), /METHOD \/path/);
  assert.throws(() => accessMap({ "FETCH /x": "public" }, validator), /METHOD \/path/);
  assert.throws(() => accessMap({ "GET /x": "everyone" as "public" }, validator), /unknown level/);
});
