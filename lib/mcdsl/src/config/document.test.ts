// parseTomlDocument / loadTomlDocument: strict validation of a TOML document that is not a
// service's config: the same ConfigError (file, key path, reason), and no environment overrides.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { tempDirFor } from "@metacircular/testkit";
import { z } from "zod";
import { ConfigError } from "./errors.ts";
import { loadTomlDocument, parseTomlDocument } from "./load.ts";

const schema = z.strictObject({
  name: z.string(),
  items: z.array(z.strictObject({ port: z.number().int().max(65535) })).default([]),
});

test("a valid document parses; PORT and prefixed env vars change nothing", () => {
  process.env.PORT = "1";
  try {
    assert.deepEqual(parseTomlDocument(schema, 'name = "a"\n[[items]]\nport = 80\n', "a.toml"), {
      name: "a",
      items: [{ port: 80 }],
    });
  } finally {
    delete process.env.PORT;
  }
});

test("problems name the document, the key path and the reason", () => {
  const text = 'name = "a"\n[[items]]\nport = 70000\nprot = 1\n';
  assert.throws(
    () => parseTomlDocument(schema, text, "defs/a.toml"),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.file, "defs/a.toml");
      assert.deepEqual(e.problems.map((p) => p.path).sort(), ["items[0].port", "items[0].prot"]);
      return true;
    },
  );
  assert.throws(
    () => parseTomlDocument(schema, "name = ", "b.toml"),
    /b\.toml:\n {2}\(root\): TOML syntax error/,
  );
});

test("loadTomlDocument reads the file, and names it when it cannot", (t) => {
  const dir = tempDirFor(t, "mcdsl-doc-");
  writeFileSync(dir.join("a.toml"), 'name = "x"\n');
  assert.deepEqual(loadTomlDocument(schema, dir.join("a.toml")), { name: "x", items: [] });
  assert.throws(
    () => loadTomlDocument(schema, dir.join("none.toml")),
    /none\.toml:\n.*cannot read file \(ENOENT\)/,
  );
});
