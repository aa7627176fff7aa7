import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RouteTable } from "./route-table.ts";

describe("RouteTable", () => {
  const t = new RouteTable([
    { hostname: "App.Example.test", id: 1 },
    { hostname: "*.example.test", id: 2 },
    { hostname: "exact.example.test", id: 3 },
  ]);
  it("matches exact names case-insensitively, ignoring a trailing dot", () => {
    assert.equal(t.lookup("app.example.TEST")?.id, 1);
    assert.equal(t.lookup("exact.example.test.")?.id, 3);
  });
  it("matches one-label wildcards only", () => {
    assert.equal(t.lookup("other.example.test")?.id, 2);
    assert.equal(t.lookup("a.b.example.test"), undefined);
    assert.equal(t.lookup("example.test"), undefined);
    assert.equal(t.lookup(undefined), undefined);
    assert.equal(t.size, 3);
  });
});
