// Default deny is only as good as the maps: every admin route must be declared in restAccess,
// every web UI route in uiAccess, every gRPC method in grpcAccess, and every /v2 route kind in
// V2_ACCESS, with the token endpoint the only public /v2 entry.
import assert from "node:assert/strict";
import { test } from "node:test";
import { openDatabase } from "@metacircular/mcdsl/db";
import { missingMethods } from "@metacircular/mcdsl/grpc";
import { missingRoutes, type RouteMap } from "@metacircular/mcdsl/http";
import { silentLogger } from "@metacircular/mcdsl/log";
import { makeTempDir } from "@metacircular/testkit";
import { migrations } from "../src/db/migrations.ts";
import { Queries } from "../src/db/queries.ts";
import { parseV2Path, V2_ACCESS } from "../src/distribution/routes.ts";
import { GcRunner } from "../src/gc/gc-runner.ts";
import { grpcAccess, grpcServices } from "../src/grpcserver/method-map.ts";
import { createMetrics } from "../src/metrics.ts";
import { PolicyStore } from "../src/policy/policy-store.ts";
import { RegistryAdmin } from "../src/registry/admin-ops.ts";
import { AuditLog } from "../src/registry/audit.ts";
import { restAccess } from "../src/server/access.ts";
import { buildRestApp } from "../src/server/routes.ts";
import { BlobStore } from "../src/storage/blob-store.ts";
import { uiAccess } from "../src/webserver/access.ts";
import { buildWebApp } from "../src/webserver/web-app.tsx";

function exactly(app: { routes: Array<{ method: string; path: string }> }, map: RouteMap) {
  const registered = new Set(app.routes.map((r) => `${r.method} ${r.path}`));
  for (const key of Object.keys(map))
    assert.ok(registered.has(key), `${key} is mapped but not served`);
}

test("every admin and web UI route is in its access map, and nothing else is", () => {
  const dir = makeTempDir("mcr-map-");
  const db = openDatabase(dir.join("db.sqlite"), { migrations });
  try {
    const ctx = {
      q: new Queries(db),
      store: new BlobStore(dir.join("s")),
      audit: new AuditLog(db),
      now: Date.now,
    };
    const metrics = createMetrics();
    const gc = new GcRunner(
      ctx,
      { graceSeconds: 0, uploadTtlSeconds: 0, intervalSeconds: 0 },
      silentLogger(),
      metrics,
    );
    const admin = new RegistryAdmin(ctx, new PolicyStore(db), gc);
    const validator = { validate: async () => null };
    const common = { admin, validator, logger: silentLogger(), version: "test" };
    const rest = buildRestApp({ ...common, metrics });
    assert.deepEqual(missingRoutes(rest, restAccess), []);
    exactly(rest, restAccess);
    const web = buildWebApp({
      ...common,
      sso: { mciasUrl: "http://127.0.0.1:1", serviceName: "mcr", sessionKeys: Buffer.alloc(32, 1) },
    });
    assert.deepEqual(missingRoutes(web, uiAccess), []);
    exactly(web, uiAccess);
  } finally {
    db.close();
    dir.remove();
  }
});

test("every gRPC method is declared in the access map", () => {
  assert.deepEqual(missingMethods(grpcServices, grpcAccess), []);
  assert.equal(Object.keys(grpcAccess).length, 9);
});

test("every /v2 route kind has its access entries; only the token endpoint is public", () => {
  const D = `sha256:${"0".repeat(64)}`;
  const samples = [
    "/v2/",
    "/v2/token",
    "/v2/_catalog",
    "/v2/a/tags/list",
    "/v2/a/manifests/t",
    "/v2/a/blobs/uploads/",
    "/v2/a/blobs/uploads/u",
    `/v2/a/blobs/${D}`,
    `/v2/a/referrers/${D}`,
  ];
  const kinds = new Set(samples.map((p) => parseV2Path(p)?.kind));
  assert.deepEqual([...kinds].sort(), Object.keys(V2_ACCESS).sort());
  for (const [kind, methods] of Object.entries(V2_ACCESS)) {
    assert.ok(Object.keys(methods).length > 0, kind);
    for (const level of Object.values(methods)) if (level === "public") assert.equal(kind, "token");
  }
});
