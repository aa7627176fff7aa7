import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadStaticFiles } from "./static-files.ts";

test("only regular files of known types are loaded", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "mcias-static-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "a.css"), "body{}");
  writeFileSync(join(dir, "b.js"), "1");
  writeFileSync(join(dir, "notes.txt"), "x");
  const files = loadStaticFiles(dir, {});
  assert.deepEqual([...files.keys()].sort(), ["a.css", "b.js"]);
  assert.equal(files.get("a.css")?.type, "text/css; charset=utf-8");
});

test("the shipped folder has the stylesheet, and htmx comes from its npm package", () => {
  const files = loadStaticFiles();
  assert.ok(files.has("mcias.css"));
  assert.match(files.get("htmx.min.js")?.body.toString("utf8") ?? "", /htmx/);
  assert.equal(files.get("htmx.min.js")?.type, "text/javascript; charset=utf-8");
});
