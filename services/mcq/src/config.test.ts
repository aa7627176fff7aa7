import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { tempDirFor } from "@metacircular/testkit";
import { loadMcqConfig } from "./config.ts";

const EXAMPLE = resolve(import.meta.dirname, "../deploy/mcq.example.toml");

test("the example config loads; env and $PORT override it", () => {
  const cfg = loadMcqConfig(EXAMPLE, {});
  assert.equal(cfg.mcias.service_name, "mcq");
  assert.deepEqual(cfg.documents.pushers, ["user", "system"]);
  assert.equal(cfg.web.secure_cookies, true);
  const env = loadMcqConfig(EXAMPLE, { MCQ_LOG_LEVEL: "debug", PORT: "9000" });
  assert.equal(env.log.level, "debug");
  assert.match(env.server.listen_addr, /:9000$/);
});

test("unknown keys and bad values are errors", (t) => {
  const dir = tempDirFor(t, "mcq-cfg-").path;
  const base = `[server]\nlisten_addr = "127.0.0.1:1"\n[database]\npath = "x"\n[mcias]\nserver_url = "http://127.0.0.1:2"\nservice_name = "mcq"\n`;
  const load = (extra: string) => {
    const p = join(dir, "c.toml");
    writeFileSync(p, base + extra);
    return loadMcqConfig(p, {});
  };
  assert.equal(load("").documents.max_bytes, 1024 * 1024);
  assert.throws(() => load("[documents]\ncolour = 1\n"), /colour/);
  assert.throws(() => load('[documents]\npushers = ["guest"]\n'), /pushers/);
});
