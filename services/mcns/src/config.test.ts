import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { ConfigError } from "@metacircular/mcdsl/config";
import { loadMcnsConfig } from "./config.ts";

test("the shipped example config is valid", () => {
  const cfg = loadMcnsConfig(resolve(import.meta.dirname, "../deploy/mcns.example.toml"), {});
  assert.equal(cfg.dns.listen_addr, "192.168.88.181:53");
  assert.deepEqual(cfg.forwarding.upstreams, ["1.1.1.1:53", "9.9.9.9:53"]);
});

test("defaults, env and $PORT_DNS overrides; unknown keys are errors", () => {
  const dir = mkdtempSync(join(tmpdir(), "mcns-cfg-"));
  try {
    const p = join(dir, "c.toml");
    writeFileSync(p, '[server]\nlisten_addr = "127.0.0.1:0"\n[database]\npath = "x.db"\n');
    const c = loadMcnsConfig(p, { PORT_DNS: "5353", MCNS_DNS_QUERY_LOG: "true" });
    assert.equal(c.dns.listen_addr.endsWith(":5353"), true);
    assert.equal(c.dns.query_log, true);
    assert.equal(c.dns.max_udp_size, 1232);
    assert.equal(c.forwarding.enabled, false);
    writeFileSync(
      p,
      '[server]\nlisten_addr = "127.0.0.1:0"\n[database]\npath = "x.db"\n[dns]\nbogus = 1\n',
    );
    assert.throws(() => loadMcnsConfig(p, {}), ConfigError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
