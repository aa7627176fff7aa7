// Completeness of the access maps: every REST route and every gRPC method is declared.

import assert from "node:assert/strict";
import { test } from "node:test";
import { openDatabase } from "@metacircular/mcdsl/db";
import { missingMethods } from "@metacircular/mcdsl/grpc";
import { missingRoutes } from "@metacircular/mcdsl/http";
import { silentLogger } from "@metacircular/mcdsl/log";
import { buildAcme } from "../src/acme/index.ts";
import { buildOps } from "../src/app.ts";
import { configSchema } from "../src/config.ts";
import { migrations } from "../src/db/migrations.ts";
import { grpcAccess, grpcServices } from "../src/grpcserver/method-map.ts";
import { accessRules, restAccess } from "../src/server/access.ts";
import { buildRestApp } from "../src/server/routes.ts";
import { FAST_SEAL, staticValidator } from "./helpers/metacrypt.ts";

test("every REST route is in the access map, and every map entry is a route", () => {
  const cfg = configSchema.parse({
    server: { listen_addr: "127.0.0.1:0" },
    database: { path: ":memory:" },
    mcias: { server_url: "http://127.0.0.1:1", service_name: "metacrypt" },
    seal: FAST_SEAL,
  });
  const db = openDatabase(":memory:", { migrations });
  const ops = buildOps(cfg, db);
  const app = buildRestApp({
    ops,
    validator: staticValidator,
    logger: silentLogger(),
    version: "test",
    acme: buildAcme(cfg.acme, db, ops, silentLogger()),
  });
  assert.deepEqual(missingRoutes(app, restAccess), []);
  const routes = new Set(app.routes.map((r) => `${r.method} ${r.path}`));
  for (const key of Object.keys(restAccess)) assert.ok(routes.has(key), `${key} has no route`);
  db.close();
});

test("with the web UI, every route (API and pages) is in the one access map", () => {
  const cfg = configSchema.parse({
    server: { listen_addr: "127.0.0.1:0" },
    database: { path: ":memory:" },
    mcias: { server_url: "http://127.0.0.1:1", service_name: "metacrypt" },
    seal: FAST_SEAL,
  });
  const db = openDatabase(":memory:", { migrations });
  const ops = buildOps(cfg, db);
  const app = buildRestApp({
    ops,
    validator: staticValidator,
    logger: silentLogger(),
    version: "test",
    acme: buildAcme(cfg.acme, db, ops, silentLogger()),
    web: {
      mciasUrl: "http://127.0.0.1:1",
      serviceName: "metacrypt",
      sessionKeys: Buffer.alloc(32, 7),
    },
  });
  assert.deepEqual(missingRoutes(app, accessRules), []);
  const routes = new Set(app.routes.map((r) => `${r.method} ${r.path}`));
  for (const key of Object.keys(accessRules)) assert.ok(routes.has(key), `${key} has no route`);
  db.close();
});

test("every gRPC method is declared in the access map", () => {
  assert.deepEqual(missingMethods(grpcServices, grpcAccess), []);
  assert.equal(Object.keys(grpcAccess).length, 16);
});
