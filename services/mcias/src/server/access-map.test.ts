import assert from "node:assert/strict";
import { test } from "node:test";
import { silentLogger } from "@metacircular/mcdsl/log";
import { Hono } from "hono";
import { configSchema } from "../config.ts";
import { createCore } from "../core.ts";
import { openDb } from "../db/open.ts";
import { ACCESS_MAP } from "./access-map.ts";
import { createApp } from "./app.ts";
import { createRouter, type Env } from "./router.ts";

const cfg = configSchema.parse({
  server: { listen_addr: "127.0.0.1:0" },
  database: { path: ":memory:" },
});

test("every route of the app is in the access map and every map entry is a route", () => {
  const core = createCore(cfg, openDb(":memory:"));
  const { app, router } = createApp(core, silentLogger("mcias"), "test");
  assert.deepEqual(router.unmapped, [], "routes missing from ACCESS_MAP");
  // Hono's own route table, including routes mcdsl adds (GET /v1/health); "ALL" = middleware.
  const routes = new Set(
    app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`),
  );
  assert.deepEqual(
    [...routes].filter((k) => !(k in ACCESS_MAP)),
    [],
    "routes missing from ACCESS_MAP",
  );
  assert.deepEqual(
    Object.keys(ACCESS_MAP).filter((k) => !routes.has(k)),
    [],
    "ACCESS_MAP entries without a route",
  );
});

test("a route missing from the map is recorded and refused (default deny)", async () => {
  const core = createCore(cfg, openDb(":memory:"));
  const app = new Hono<Env>();
  app.onError((e, c) => c.json({ code: (e as { code?: string }).code }, 403));
  const r = createRouter(app, core, { "GET /known": "public" });
  r.add("GET", "/known", (c) => c.text("ok"));
  r.add("GET", "/forgotten", (c) => c.text("leak"));
  assert.deepEqual(r.unmapped, ["GET /forgotten"]);
  assert.equal((await app.request("/known")).status, 200);
  const res = await app.request("/forgotten");
  assert.equal(res.status, 403);
  assert.notEqual(await res.text(), "leak");
});

test("authenticated and admin routes refuse anonymous callers", async () => {
  const core = createCore(cfg, openDb(":memory:"));
  const { app } = createApp(core, silentLogger("mcias"), "test");
  for (const [key, access] of Object.entries(ACCESS_MAP)) {
    if (access === "public") continue;
    const [method, path] = key.split(" ") as [string, string];
    const res = await app.request(path.replace(/:[a-z]+/g, "x"), { method });
    assert.equal(res.status, 401, key);
  }
});
