import assert from "node:assert/strict";
import { test } from "node:test";
import { formatImageRef, parseImageRef } from "./image-ref.ts";

const D = `sha256:${"a".repeat(64)}`;

test("pinned references parse and print back unchanged", () => {
  for (const s of [
    "mcr.svc.mcp.metacircular.net:8443/hello:v1.0.0",
    "localhost/bb:1",
    "busybox:1.36",
    "registry.example/team/sub/app:2024-01-01_rc.1",
    `mcr.example:5000/app:v1@${D}`,
  ]) {
    const r = parseImageRef(s);
    assert.ok(r.ok, s);
    assert.equal(formatImageRef(r.ref), s);
  }
  const r = parseImageRef("mcr.example:8443/a/b:v3");
  assert.deepEqual(r, {
    ok: true,
    ref: { registry: "mcr.example:8443", repository: "a/b", tag: "v3" },
  });
});

test("refused references say why", () => {
  const cases: Array<[string, RegExp]> = [
    ["hello", /no version tag/],
    ["mcr.example:8443/hello", /no version tag/],
    ["hello:latest", /latest/],
    [`hello@${D}`, /no version tag/],
    ["Hello:v1", /lower-case/],
    ["hello:", /not a valid tag/],
    ["hello:v1@sha256:abc", /not a sha256 digest/],
    ["bad_host.example:x/app:v1", /not a registry host/],
    ["", /empty/],
  ];
  for (const [s, re] of cases) {
    const r = parseImageRef(s);
    assert.ok(!r.ok, s);
    assert.match(r.reason, re, s);
  }
});
