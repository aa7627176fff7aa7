import assert from "node:assert/strict";
import { test } from "node:test";
import { PACKAGE_ROOT } from "./package-root.ts";

test("the running package root is services/mcias", () => {
  assert.match(PACKAGE_ROOT, /services[/\\]mcias$/);
});
