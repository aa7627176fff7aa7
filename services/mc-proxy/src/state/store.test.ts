import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openDatabase } from "@metacircular/mcdsl/db";
import { makeTempDir } from "@metacircular/testkit";
import { parse } from "smol-toml";
import { MIGRATIONS } from "../db/migrations.ts";
import { exportToml, parseSeed, stateFromSeed } from "./seed.ts";
import { NotFoundError, StateStore } from "./store.ts";
import { ROUTE_DEFAULTS } from "./types.ts";

describe("StateStore", () => {
  it("seeds, upserts idempotently, removes, and survives reopening", (t) => {
    const dir = makeTempDir("mcp-store-");
    t.after(() => dir.remove());
    const path = dir.join("proxy.db");
    let db = openDatabase(path, { migrations: MIGRATIONS });
    let store = new StateStore(db);
    assert.equal(store.isEmpty(), true);
    const seed = parseSeed({
      listeners: [
        {
          name: "web",
          addr: "127.0.0.1:0",
          routes: [{ hostname: "A.example.test", backend: "127.0.0.1:9000", mode: "l4" }],
        },
      ],
      firewall: {
        deny: ["192.0.2.0/24"],
        blocked_countries: ["kp"],
        conn_rate: { rate: 10, burst: 20 },
      },
    });
    assert.ok(seed.ok);
    store.replaceAll(stateFromSeed(seed.seed));
    assert.equal(store.isEmpty(), false);
    const route = {
      ...ROUTE_DEFAULTS,
      listener: "web",
      hostname: "b.example.test",
      backend: "127.0.0.1:9001",
      mode: "l4" as const,
    };
    assert.equal(store.upsertRoute(route), false);
    assert.equal(store.upsertRoute({ ...route, backend: "127.0.0.1:9002" }), true);
    assert.throws(() => store.upsertRoute({ ...route, listener: "nope" }), NotFoundError);
    db.close();
    db = openDatabase(path, { migrations: MIGRATIONS });
    store = new StateStore(db);
    const s = store.load();
    assert.deepEqual(
      s.routes.map((r) => [r.hostname, r.backend]),
      [
        ["a.example.test", "127.0.0.1:9000"],
        ["b.example.test", "127.0.0.1:9002"],
      ],
    );
    assert.deepEqual(s.firewall.blockedCountries, ["KP"]);
    assert.deepEqual(s.firewall.connRate, { rate: 10, burst: 20 });
    const again = parseSeed(parse(exportToml(s)));
    assert.ok(again.ok);
    assert.deepEqual(stateFromSeed(again.seed), s);
    assert.equal(store.removeRoute("web", "a.example.test"), true);
    assert.equal(store.removeRoute("web", "a.example.test"), false);
    assert.equal(store.removeListener("web"), true);
    assert.equal(store.load().routes.length, 0);
    db.close();
  });
});
