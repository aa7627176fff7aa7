import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { test } from "node:test";
import { ConfigError } from "@metacircular/mcdsl/config";
import { tempDirFor } from "@metacircular/testkit";
import { loadMcrConfig, signingKeyPath } from "./config.ts";

test("the shipped example config is valid", () => {
  const cfg = loadMcrConfig(resolve(import.meta.dirname, "../deploy/mcr.example.toml"), {});
  assert.equal(cfg.registry.service, "mcr-registry");
  assert.equal(cfg.mcias.service_name, "mcr");
  assert.equal(cfg.storage.max_manifest_bytes, 4 << 20);
});

test("defaults, env and $PORT overrides; unknown keys are errors", (t) => {
  const dir = tempDirFor(t, "mcr-cfg-");
  const p = dir.join("c.toml");
  const base =
    '[server]\nlisten_addr = "127.0.0.1:0"\n[database]\npath = "x.db"\n[storage]\npath = "s"\n' +
    '[mcias]\nserver_url = "https://127.0.0.1:1"\nservice_name = "mcr"\n';
  writeFileSync(p, base);
  const c = loadMcrConfig(p, { PORT: "5000", MCR_GC_GRACE_SECONDS: "60" });
  assert.ok(c.server.listen_addr.endsWith(":5000"));
  assert.equal(c.gc.grace_seconds, 60);
  assert.equal(c.gc.upload_ttl_seconds, 86_400);
  assert.equal(c.registry.token_ttl_seconds, 300);
  writeFileSync(p, `${base}[gc]\nbogus = 1\n`);
  assert.throws(() => loadMcrConfig(p, {}), ConfigError);
  writeFileSync(
    p,
    base.replace('[mcias]\nserver_url = "https://127.0.0.1:1"\nservice_name = "mcr"\n', ""),
  );
  assert.throws(
    () => loadMcrConfig(p, {}),
    ConfigError,
    "[mcias] is required: no anonymous registry",
  );
});

test("the web UI listens only on loopback; the signing key defaults beside the database", (t) => {
  const dir = tempDirFor(t, "mcr-cfg-");
  const p = dir.join("c.toml");
  const base =
    '[server]\nlisten_addr = "127.0.0.1:0"\n[database]\npath = "/srv/mcr/mcr.db"\n[storage]\npath = "s"\n' +
    '[mcias]\nserver_url = "https://127.0.0.1:1"\nservice_name = "mcr"\n';
  writeFileSync(p, base);
  assert.equal(signingKeyPath(loadMcrConfig(p, {})), "/srv/mcr/registry-token.key");
  for (const ok of ["127.0.0.1:8090", "[::1]:8090", "localhost:8090"]) {
    writeFileSync(p, `${base}[web]\nlisten_addr = "${ok}"\n`);
    assert.equal(loadMcrConfig(p, {}).web.listen_addr, ok);
  }
  for (const bad of ["0.0.0.0:8090", ":8090", "192.0.2.1:8090"]) {
    writeFileSync(p, `${base}[web]\nlisten_addr = "${bad}"\n`);
    assert.throws(() => loadMcrConfig(p, {}), /loopback/, bad);
  }
});
