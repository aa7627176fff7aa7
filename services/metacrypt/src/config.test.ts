import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { ConfigError } from "@metacircular/mcdsl/config";
import { loadMetacryptConfig } from "./config.ts";

test("the shipped example config is valid", () => {
  const cfg = loadMetacryptConfig(
    resolve(import.meta.dirname, "../deploy/metacrypt.example.toml"),
    {},
  );
  assert.equal(cfg.mcias.service_name, "metacrypt");
  assert.equal(cfg.seal.argon2_memory_kib, 65536);
});

test("defaults, env and $PORT_GRPC overrides; unknown keys are errors", () => {
  const dir = mkdtempSync(join(tmpdir(), "metacrypt-cfg-"));
  try {
    const p = join(dir, "c.toml");
    const base =
      '[server]\nlisten_addr = "127.0.0.1:0"\n[database]\npath = "x.db"\n[mcias]\nserver_url = "http://127.0.0.1:1"\nservice_name = "metacrypt"\n';
    writeFileSync(p, base);
    const c = loadMetacryptConfig(p, { PORT_GRPC: "9443", METACRYPT_SEAL_ARGON2_TIME: "5" });
    assert.equal(c.server.grpc_addr?.endsWith(":9443"), true);
    assert.equal(c.seal.argon2_time, 5);
    assert.equal(c.seal.argon2_parallelism, 4);
    writeFileSync(p, `${base}[seal]\nbogus = 1\n`);
    assert.throws(() => loadMetacryptConfig(p, {}), ConfigError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
