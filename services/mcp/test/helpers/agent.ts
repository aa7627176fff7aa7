// An agent's use cases wired to a test podman and test platform: a registry in a temp dir, the
// MC-Proxy and MCNS integrations on, certificates from the test CA, pulling off (the image is
// built on the node).
import assert from "node:assert/strict";
import { type DB, openDatabase } from "@metacircular/mcdsl/db";
import { silentLogger } from "@metacircular/mcdsl/log";
import { makeTempDir, type TempDir } from "@metacircular/testkit";
import type { AgentDeps } from "../../src/agent/deps.ts";
import { DnsRecords } from "../../src/agent/dns.ts";
import { ProxyRoutes } from "../../src/agent/proxy.ts";
import { migrations } from "../../src/db/migrations.ts";
import { Registry } from "../../src/db/registry.ts";
import { parseServiceDef } from "../../src/servicedef/load.ts";
import type { ServiceDef } from "../../src/servicedef/schema.ts";
import { startPlatformParts, type TestPlatform, ZONE } from "./platform.ts";
import { buildBusyboxImage, startPodman, type TestPodman } from "./podman.ts";

export const NODE = "testnode";

export function agentDeps(p: TestPodman, pf: TestPlatform, dir: TempDir): AgentDeps {
  const db = openDatabase(dir.join("mcp-agent.sqlite"), { migrations });
  return {
    registry: new Registry(db),
    podman: p.client,
    proxy: new ProxyRoutes(pf.proxy.socket),
    dns: new DnsRecords({
      url: pf.mcns.grpcUrl,
      tokenFile: pf.dnsTokenFile,
      zone: ZONE,
      ttl: 30,
    }),
    node: { name: NODE, address: "127.0.0.1" },
    ports: { min: 20000, max: 59000 },
    zone: ZONE,
    certs: { kind: "static", cert: pf.cert.cert, key: pf.cert.key },
    images: { pull: false, tlsVerify: true },
    stopTimeoutSeconds: 5,
    readyTimeoutMs: 60_000,
    drainMs: 500,
    logger: silentLogger(),
  };
}

/**
 * A one-component definition serving `image` on an L7 route of the proxy's listener; `extra`
 * lines go at the end (a `[components.health]` table, say).
 */
export function webService(
  name: string,
  image: string,
  listenerPort: number,
  extra: string[] = [],
): ServiceDef {
  return parseServiceDef(
    [
      `name = "${name}"`,
      `node = "${NODE}"`,
      "[[components]]",
      'name = "web"',
      `image = "${image}"`,
      "[[components.routes]]",
      `port = ${listenerPort}`,
      'mode = "l7"',
      ...extra,
      "",
    ].join("\n"),
    `${name}.toml`,
  );
}

/** Fails unless every registry table is empty (what undeploy must leave). */
export function assertRegistryEmpty(db: DB): void {
  for (const t of [
    "services",
    "components",
    "routes",
    "certificates",
    "dns_records",
    "events",
    "deploys",
  ]) {
    const n = db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number };
    assert.equal(n.n, 0, `${t} is empty`);
  }
}

export interface AgentFixture {
  p: TestPodman;
  pf: TestPlatform;
  dir: TempDir;
  d: AgentDeps;
  stop(): Promise<void>;
}

/** Podman, the platform parts and an agent's deps, with a busybox `image` serving `page`. */
export async function startAgentFixture(image: string, page: string): Promise<AgentFixture> {
  const [p, pf] = await Promise.all([startPodman(), startPlatformParts()]);
  await buildBusyboxImage(p, image, page);
  const dir = makeTempDir("mcp-agent-");
  const d = agentDeps(p, pf, dir);
  return {
    p,
    pf,
    dir,
    d,
    async stop() {
      d.registry.db.close();
      await p.stop();
      await pf.stop();
      dir.remove();
    },
  };
}
