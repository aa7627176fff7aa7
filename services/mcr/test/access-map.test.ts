// Default deny is only as good as the maps: every admin route must be declared in restAccess,
// and every /v2 route kind in V2_ACCESS, with the token endpoint the only public /v2 entry.
import assert from "node:assert/strict";
import { test } from "node:test";
import { openDatabase } from "@metacircular/mcdsl/db";
import { missingRoutes } from "@metacircular/mcdsl/http";
import { silentLogger } from "@metacircular/mcdsl/log";
import { makeTempDir } from "@metacircular/testkit";
import { migrations } from "../src/db/migrations.ts";
import { Queries } from "../src/db/queries.ts";
import { parseV2Path, V2_ACCESS } from "../src/distribution/routes.ts";
import { GcRunner } from "../src/gc/gc-runner.ts";
import { createMetrics } from "../src/metrics.ts";
import { PolicyStore } from "../src/policy/policy-store.ts";
import { AuditLog } from "../src/registry/audit.ts";
import { restAccess } from "../src/server/access.ts";
import { buildRestApp } from "../src/server/routes.ts";
import { BlobStore } from "../src/storage/blob-store.ts";

test("every admin route is in the access map, and nothing else is", () => {
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
    const app = buildRestApp({
      ctx,
      policy: new PolicyStore(db),
      gc: new GcRunner(
        ctx,
        { graceSeconds: 0, uploadTtlSeconds: 0, intervalSeconds: 0 },
        silentLogger(),
        metrics,
      ),
      validator: { validate: async () => null },
      logger: silentLogger(),
      version: "test",
      metrics,
    });
    assert.deepEqual(missingRoutes(app, restAccess), []);
    const registered = new Set(app.routes.map((r) => `${r.method} ${r.path}`));
    for (const key of Object.keys(restAccess))
      assert.ok(registered.has(key), `${key} is mapped but not served`);
  } finally {
    db.close();
    dir.remove();
  }
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
