import assert from "node:assert/strict";
import { test } from "node:test";
import { silentLogger } from "@metacircular/mcdsl/log";
import { Hono } from "hono";
import { createAccount } from "../accounts/admin.ts";
import { createCore } from "../app.ts";
import { configSchema } from "../config.ts";
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
    if (access === "public" || access.startsWith("ui-")) continue;
    const [method, path] = key.split(" ") as [string, string];
    const res = await app.request(path.replace(/:[a-z]+/g, "x"), { method });
    assert.equal(res.status, 401, key);
  }
});

test("a token for another service or an OAuth access token is refused everywhere but public routes", async () => {
  const oidcCfg = configSchema.parse({
    server: { listen_addr: "127.0.0.1:0" },
    database: { path: ":memory:" },
    oidc: { issuer: "https://id.example" },
  });
  const core = createCore(oidcCfg, openDb(":memory:"));
  const { app } = createApp(core, silentLogger("mcias"), "test");
  const admin = await createAccount(core, "test", {
    username: "root-admin",
    type: "human",
    roles: ["admin"],
  });
  const foreign = core.tokens.issue(admin, "login", "svca", 60_000);
  // An OAuth access token even for the "mcias" context (a client registered with that name).
  const oauth = core.tokens.issue(admin, "login", "mcias", 60_000, { oauth: true });
  core.db
    .prepare(
      "INSERT INTO oidc_tokens (jti, grant_id, client_id, account_id, scope, auth_time, expires_at) VALUES (?, 'g', 'rp', ?, 'openid', 0, ?)",
    )
    .run(oauth.jti, admin.id, oauth.expiresAt);
  for (const [key, access] of Object.entries(ACCESS_MAP)) {
    const [method, path] = key.split(" ") as [string, string];
    const url = path.replace(/:[a-z_]+/g, "x");
    if (access === "ui-user" || access === "ui-admin") {
      // The browser session cookie is held to the same rule: sent back to the login page.
      const res = await app.request(url, {
        method,
        headers: { cookie: `mcias_ui=${oauth.token}` },
      });
      assert.equal(res.status, 303, `oauth cookie ${key}`);
      continue;
    }
    if (access === "public" || access === "ui-public") continue;
    const principals = access === "token" ? [oauth] : [oauth, foreign];
    for (const t of principals) {
      const res = await app.request(url, {
        method,
        headers: { authorization: `Bearer ${t.token}` },
      });
      assert.equal(res.status, 401, key);
    }
  }
});

test("UI routes send anonymous browsers to the login page and refuse Bearer tokens", async () => {
  const core = createCore(cfg, openDb(":memory:"));
  const { app } = createApp(core, silentLogger("mcias"), "test");
  const admin = await createAccount(core, "test", {
    username: "root-admin",
    type: "human",
    roles: ["admin"],
  });
  const bearer = core.tokens.issue(admin, "login", "mcias", 60_000).token;
  const ui = Object.entries(ACCESS_MAP).filter(([, a]) => a === "ui-user" || a === "ui-admin");
  assert.ok(ui.length > 10, "the UI routes are in the map");
  for (const [key] of ui) {
    const [method, path] = key.split(" ") as [string, string];
    const url = path.replace(/:[a-z]+/g, "x");
    // A Bearer token is not a browser session: UI kinds only read the session cookie.
    const res = await app.request(url, { method, headers: { authorization: `Bearer ${bearer}` } });
    assert.equal(res.status, 303, key);
    assert.match(res.headers.get("location") ?? "", /^\/ui\/login\?next=/, key);
    assert.equal(res.headers.get("x-frame-options"), "DENY", key);
  }
});

test("a UI POST with a valid session but no CSRF token is refused", async () => {
  const core = createCore(cfg, openDb(":memory:"));
  const { app } = createApp(core, silentLogger("mcias"), "test");
  const admin = await createAccount(core, "test", {
    username: "root-admin",
    type: "human",
    roles: ["admin"],
  });
  const cookie = `mcias_ui=${core.tokens.issue(admin, "login", "mcias", 60_000).token}`;
  for (const [key, access] of Object.entries(ACCESS_MAP)) {
    const [method, path] = key.split(" ") as [string, string];
    if (!access.startsWith("ui-") || method !== "POST") continue;
    const res = await app.request(path.replace(/:[a-z]+/g, "x"), {
      method,
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "_csrf=forged",
    });
    assert.equal(res.status, 403, key);
  }
  assert.equal(core.accounts.get("root-admin").status, "active");
});
