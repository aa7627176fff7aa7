import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { tempDirFor } from "@metacircular/testkit";
import { z } from "zod";
import { ConfigError } from "./errors.ts";
import { loadConfig } from "./load.ts";
import { databaseSection, logSection, mciasSection, serverSection } from "./sections.ts";

const schema = z.strictObject({
  server: serverSection,
  database: databaseSection,
  log: logSection.prefault({}),
  mcias: mciasSection.optional(),
  dns: z
    .strictObject({
      port: z.number().int().default(53),
      recursion: z.boolean().default(false),
      forwarders: z.array(z.string()).default([]),
    })
    .prefault({}),
});

const BASE = `
[server]
listen_addr = "127.0.0.1:8443"
grpc_addr = ":9443"

[database]
path = "/srv/mcns/mcns.db"
`;

function write(t: { after(fn: () => void): void }, text: string): string {
  const dir = tempDirFor(t, "mc-config-");
  const p = dir.join("svc.toml");
  writeFileSync(p, text);
  return p;
}

function expectError(fn: () => unknown, ...parts: string[]): ConfigError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    for (const p of parts) assert.ok(e.message.includes(p), `"${p}" missing from:\n${e.message}`);
    return e;
  }
  assert.fail("expected a ConfigError");
}

test("TOML loads into a typed config with defaults", (t) => {
  const cfg = loadConfig(schema, { path: write(t, BASE), envPrefix: "MCNS", env: {} });
  assert.equal(cfg.server.listen_addr, "127.0.0.1:8443");
  assert.equal(cfg.server.shutdown_timeout_ms, 10_000);
  assert.equal(cfg.log.level, "info");
  assert.equal(cfg.dns.port, 53);
  assert.equal(cfg.mcias, undefined);
});

test("unknown keys are errors naming file and key path", (t) => {
  const p = write(t, `${BASE}\nlisten_adr = "x"\n[dns]\nrecurse = true\n`);
  const e = expectError(
    () => loadConfig(schema, { path: p, envPrefix: "MCNS", env: {} }),
    p,
    "dns.recurse",
    "unknown key",
  );
  assert.ok(e.message.includes("listen_adr"));
  assert.equal(e.problems.length, 2);
});

test("unknown keys are errors even when the service schema is not strict", (t) => {
  const loose = z.object({ a: z.object({ b: z.string() }) });
  const p = write(t, `[a]\nb = "x"\nc = 1\n`);
  expectError(() => loadConfig(loose, { path: p, envPrefix: "X", env: {} }), "a.c: unknown key");
});

test("wrong types and missing keys say what was expected", (t) => {
  const p = write(t, `[server]\nlisten_addr = 8443\nshutdown_timeout_ms = "soon"\n[database]\n`);
  expectError(
    () => loadConfig(schema, { path: p, envPrefix: "MCNS", env: {} }),
    "server.listen_addr: expected string, received number",
    "server.shutdown_timeout_ms: expected number",
    "database.path: required, expected string",
  );
});

test("bad listen addresses and half TLS config are rejected", (t) => {
  const p = write(
    t,
    `[server]\nlisten_addr = "localhost"\ngrpc_addr = "::1:9000"\ntls_cert = "/c.pem"\n[database]\npath = "x"\n`,
  );
  expectError(
    () => loadConfig(schema, { path: p, envPrefix: "MCNS", env: {} }),
    "server.listen_addr: expected a listen address",
    "server.grpc_addr",
    "server.tls_key: tls_cert and tls_key must be set together",
  );
});

test("missing file and TOML syntax errors name the file", (t) => {
  expectError(
    () => loadConfig(schema, { path: "/nonexistent/x.toml", envPrefix: "A", env: {} }),
    "/nonexistent/x.toml",
    "ENOENT",
  );
  const p = write(t, `[server\nlisten_addr = 1`);
  expectError(
    () => loadConfig(schema, { path: p, envPrefix: "A", env: {} }),
    p,
    "TOML syntax error at line 1",
  );
});

test("env overrides are coerced to the schema type", (t) => {
  const cfg = loadConfig(schema, {
    path: write(t, BASE),
    envPrefix: "MCNS",
    env: {
      MCNS_SERVER_LISTEN_ADDR: "[::1]:7000",
      MCNS_SERVER_SHUTDOWN_TIMEOUT_MS: "2500",
      MCNS_DNS_RECURSION: "true",
      MCNS_DNS_FORWARDERS: "1.1.1.1:53, 9.9.9.9:53",
      MCNS_LOG_LEVEL: "debug",
      MCNS_DATABASE_PATH: "",
      OTHER_SERVER_LISTEN_ADDR: ":1",
    },
  });
  assert.equal(cfg.server.listen_addr, "[::1]:7000");
  assert.equal(cfg.server.shutdown_timeout_ms, 2500);
  assert.equal(cfg.dns.recursion, true);
  assert.deepEqual(cfg.dns.forwarders, ["1.1.1.1:53", "9.9.9.9:53"]);
  assert.equal(cfg.log.level, "debug");
  assert.equal(cfg.database.path, "/srv/mcns/mcns.db", "an empty variable counts as unset");
});

test("a bad env value names the variable", (t) => {
  expectError(
    () =>
      loadConfig(schema, {
        path: write(t, BASE),
        envPrefix: "MCNS",
        env: { MCNS_DNS_PORT: "fifty" },
      }),
    "dns.port",
    "env MCNS_DNS_PORT",
  );
});

test("$PORT and $PORT_GRPC win over TOML and generic env", (t) => {
  const cfg = loadConfig(schema, {
    path: write(t, BASE),
    envPrefix: "MCNS",
    env: { PORT: "8080", PORT_GRPC: "127.0.0.1:9090", MCNS_SERVER_LISTEN_ADDR: ":1" },
  });
  assert.equal(cfg.server.listen_addr, ":8080");
  assert.equal(cfg.server.grpc_addr, "127.0.0.1:9090");
});

test("named ports map to any declared key; a bad $PORT is reported", (t) => {
  const s = z.strictObject({ server: serverSection, web: z.strictObject({ addr: z.string() }) });
  const p = write(t, `[server]\nlisten_addr = ":1"\n[web]\naddr = ":2"\n`);
  const cfg = loadConfig(s, {
    path: p,
    envPrefix: "X",
    env: { PORT_WEB: "3000" },
    ports: { named: { web: "web.addr" } },
  });
  assert.equal(cfg.web.addr, ":3000");
  expectError(
    () => loadConfig(s, { path: p, envPrefix: "X", env: { PORT: "99999" } }),
    "server.listen_addr",
    "$PORT",
  );
});
