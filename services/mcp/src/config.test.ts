// The shipped example configs load as they are: the agent's through loadAgentConfig, the CLI's
// through loadCliConfig; and the agent's cross-field rules.
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { test } from "node:test";
import { loadCliConfig } from "./cli/cli-config.ts";
import { configSchema, loadAgentConfig } from "./config.ts";

const DEPLOY = resolve(import.meta.dirname, "../deploy");

test("deploy/mcp-agent.example.toml loads", () => {
  const c = loadAgentConfig(`${DEPLOY}/mcp-agent.example.toml`, {});
  assert.equal(c.node.name, "rift");
  assert.equal(c.ports.min, 10000);
  assert.equal(c.dns.zone, "svc.mcp.metacircular.net");
});

test("$PORT_GRPC overrides the gRPC address", () => {
  const c = loadAgentConfig(`${DEPLOY}/mcp-agent.example.toml`, { PORT_GRPC: "9555" });
  assert.match(c.server.grpc_addr, /:9555$/);
});

test("deploy/mcp.example.toml loads", () => {
  const c = loadCliConfig(`${DEPLOY}/mcp.example.toml`);
  assert.deepEqual(
    c.nodes.map((n) => [n.name, n.fallback.length]),
    [
      ["rift", 1],
      ["hyperborea", 0],
    ],
  );
});

test("DNS on needs url and token_file; cert and key go together; metacrypt needs url, token", () => {
  const base = {
    server: { grpc_addr: "127.0.0.1:9444" },
    database: { path: "/x.db" },
    mcias: { server_url: "http://127.0.0.1:1", service_name: "mcp-agent" },
    node: { name: "n" },
  };
  const dns = configSchema.safeParse(base);
  assert.ok(!dns.success);
  assert.match(JSON.stringify(dns.error.issues), /enabled needs url and token_file/);
  const certs = configSchema.safeParse({ ...base, dns: { enabled: false }, certs: { cert: "/c" } });
  assert.ok(!certs.success);
  assert.match(JSON.stringify(certs.error.issues), /cert and key go together/);
  assert.ok(configSchema.safeParse({ ...base, dns: { enabled: false } }).success);
  const noDns = { ...base, dns: { enabled: false } };
  const mc = configSchema.safeParse({ ...noDns, certs: { mode: "metacrypt", url: "https://m" } });
  assert.ok(!mc.success);
  assert.match(JSON.stringify(mc.error.issues), /metacrypt needs url and token_file/);
  const ok = configSchema.parse({
    ...noDns,
    certs: { mode: "metacrypt", url: "https://m:8443", token_file: "/t" },
  });
  assert.deepEqual(
    [ok.certs.mount, ok.certs.profile, ok.certs.dir],
    ["pki", "host", "/srv/mc-proxy/certs"],
  );
});

test("[[boot.sequence]]: stages in order; a service in two stages is refused", () => {
  const base = {
    server: { grpc_addr: "127.0.0.1:9444" },
    database: { path: "/x.db" },
    mcias: { server_url: "http://127.0.0.1:1", service_name: "mcp-agent" },
    node: { name: "n" },
    dns: { enabled: false },
  };
  const stages = [
    { name: "foundation", services: ["mcias", "mcns"] },
    { name: "core", services: ["metacrypt"] },
  ];
  const ok = configSchema.parse({ ...base, boot: { sequence: stages } });
  assert.deepEqual(
    ok.boot.sequence.map((s) => s.name),
    ["foundation", "core"],
  );
  assert.equal(ok.boot.recover_on_start, true);
  assert.equal(ok.deploy.drain_seconds, 5);
  assert.equal(ok.certs.renew_before_days, 30);
  const twice = configSchema.safeParse({
    ...base,
    boot: { sequence: [...stages, { name: "services", services: ["mcns"] }] },
  });
  assert.ok(!twice.success);
  assert.match(JSON.stringify(twice.error.issues), /mcns is in more than one stage/);
});
