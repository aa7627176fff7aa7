import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { findPackageRoot, PACKAGE_ROOT } from "./package-root.ts";

test("the package root is found from src/ and from a nested dist/ alike", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "mcias-root-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "@metacircular/mcias" }));
  mkdirSync(join(dir, "src/a/b"), { recursive: true });
  mkdirSync(join(dir, "dist"), { recursive: true });
  // a foreign package.json on the way up is skipped
  writeFileSync(join(dir, "src/a/package.json"), JSON.stringify({ name: "other" }));
  assert.equal(findPackageRoot(join(dir, "src/a/b")), dir);
  assert.equal(findPackageRoot(join(dir, "dist")), dir);
  assert.throws(() => findPackageRoot(join(dir, "dist"), "@metacircular/absent"), /cannot find/);
});

test("the running package root is services/mcias", () => {
  assert.match(PACKAGE_ROOT, /services[/\\]mcias$/);
});
