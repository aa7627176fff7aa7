import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Hono } from "hono";
import { Counter, createRegistry, metricsRoute } from "./index.ts";

describe("metrics", () => {
  it("exposes runtime metrics and the service's own on /metrics", async () => {
    const registry = createRegistry({ prefix: "demo_" });
    const hits = new Counter({ name: "demo_hits_total", help: "Hits", registers: [registry] });
    hits.inc(3);
    const app = new Hono();
    metricsRoute(app, registry);
    const res = await app.request("/metrics");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.match(text, /^demo_hits_total 3$/m);
    assert.match(text, /^demo_process_resident_memory_bytes \d+/m);
    assert.match(text, /^demo_nodejs_heap_size_used_bytes \d+/m);
  });

  it("leaves runtime metrics out when asked", async () => {
    const registry = createRegistry({ runtime: false });
    const app = new Hono();
    metricsRoute(app, registry, "/m");
    assert.equal((await (await app.request("/m")).text()).trim(), "");
  });
});
