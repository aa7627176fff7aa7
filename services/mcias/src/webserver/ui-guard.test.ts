import assert from "node:assert/strict";
import { test } from "node:test";
import { CSP, isUiAccess, safeNext } from "./ui-guard.ts";

test("after login only local UI paths are followed (no open redirect)", () => {
  assert.equal(safeNext("/ui/admin/audit?page=2&event=x"), "/ui/admin/audit?page=2&event=x");
  for (const bad of [
    undefined,
    "",
    "https://evil.example/",
    "//evil.example/ui/",
    "/\\evil.example",
    "/v1/accounts",
    "/ui",
    "/ui/\r\nset-cookie:x",
    "javascript:alert(1)",
  ])
    assert.equal(safeNext(bad), "/ui/", String(bad));
});

test("UI access kinds are recognised; the CSP allows no inline script or framing", () => {
  assert.equal(isUiAccess("ui-admin"), true);
  assert.equal(isUiAccess("admin"), false);
  assert.match(CSP, /script-src 'self'(;|$)/);
  assert.match(CSP, /frame-ancestors 'none'/);
  assert.doesNotMatch(CSP, /unsafe/);
});
