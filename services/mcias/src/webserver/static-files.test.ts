import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
  mkdirSync(join(dir, "sub.js"));
  const files = loadStaticFiles(dir);
  assert.deepEqual([...files.keys()].sort(), ["a.css", "b.js"]);
  assert.equal(files.get("a.css")?.type, "text/css; charset=utf-8");
});

test("the shipped folder has the passkey scripts (styles and htmx come from the web kit)", () => {
  const files = loadStaticFiles();
  assert.ok(files.has("webauthn.js"));
  assert.ok(files.has("mcias-ui.js"));
  assert.equal(files.get("mcias-ui.js")?.type, "text/javascript; charset=utf-8");
  assert.equal(files.has("mcias.css"), false);
});
