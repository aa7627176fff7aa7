import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "./config.ts";

const EXAMPLE = new URL("../deploy/mcias.example.toml", import.meta.url).pathname;

test("the example config loads with the documented defaults and env overrides", () => {
  const cfg = loadConfig(EXAMPLE, { MCIAS_DATABASE_PATH: "/tmp/x.db", PORT_GRPC: "0" });
  assert.equal(cfg.database.path, "/tmp/x.db");
  assert.equal(cfg.argon2.memory_kib, 19456);
  assert.equal(cfg.argon2.time_cost, 2);
  assert.equal(cfg.argon2.parallelism, 1);
  assert.equal(cfg.policy.default, "deny");
  assert.equal(cfg.tokens.system_ttl_days, 365);
  assert.equal(cfg.bootstrap.admin_password, undefined);
  assert.match(cfg.server.grpc_addr ?? "", /:0$/);
});

test("unknown keys and bad values are refused with the key path", () => {
  const dir = mkdtempSync(join(tmpdir(), "mcias-cfg-"));
  const p = join(dir, "c.toml");
  writeFileSync(
    p,
    '[server]\nlisten_addr = ":1"\n[database]\npath = "x"\n[argon2]\nmemroy_kib = 1\n',
  );
  assert.throws(() => loadConfig(p, {}), /argon2/);
  writeFileSync(
    p,
    '[server]\nlisten_addr = ":1"\n[database]\npath = "x"\n[policy]\ndefault = "maybe"\n',
  );
  assert.throws(() => loadConfig(p, {}), /policy\.default/);
});
