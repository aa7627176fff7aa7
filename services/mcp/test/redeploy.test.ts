// Zero-downtime redeploys against real podman, MC-Proxy, MCNS and MCIAS: while a steady request
// loop goes through MC-Proxy (HTTPS to the route's host name), the service is redeployed to a
// new version (two busybox httpd images serving different pages) and rolled back: no request
// fails, the page changes version, the backend port alternates between the route's pair and
// the old container is gone afterwards. A new version that never passes its health check
// leaves the old one serving.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { deploy } from "../src/agent/deploy.ts";
import type { AgentDeps } from "../src/agent/deps.ts";
import { rollbackService } from "../src/agent/history.ts";
import { ProxyRoutes } from "../src/agent/proxy.ts";
import { type AgentFixture, startAgentFixture, webService } from "./helpers/agent.ts";
import { type LoopResult, requestLoop } from "./helpers/load.ts";
import { type TestPlatform, ZONE } from "./helpers/platform.ts";
import { buildBusyboxImage, type TestPodman } from "./helpers/podman.ts";
import { httpsGet } from "./helpers/probe.ts";
import { retry } from "./helpers/retry.ts";

const V1 = "localhost/mcp-test/zd:v1";
const V2 = "localhost/mcp-test/zd:v2";
let p: TestPodman;
let pf: TestPlatform;
let d: AgentDeps;
let fx: AgentFixture;

before(async () => {
  fx = await startAgentFixture(V1, "version 1\n");
  ({ p, pf, d } = fx);
  await buildBusyboxImage(p, V2, "version 2\n");
});
after(() => fx?.stop());

const HEALTH = ["[components.health]", 'http = "/index.html"', "timeout_seconds = 60"];
const backendOf = async (host: string) =>
  (await new ProxyRoutes(pf.proxy.socket).routesOn("web")).get(host);
const containers = async () => (await p.client.listContainers("mcp.service=zd")).map((c) => c.name);

/**
 * The clients' pages: both versions seen, `from` first, and no client got `from` again once it
 * had `to` (requests of two clients overlap, so only each client's own order is meaningful).
 */
function assertSwitched(r: LoopResult, from: string, to: string): void {
  assert.deepEqual(r.pages, [from, to]);
  for (const seen of r.perClient) {
    const switched = seen.indexOf(to);
    const back = switched >= 0 && seen.slice(switched + 1).includes(from);
    assert.ok(!back, `a client went back to ${from.trim()}: ${JSON.stringify(seen)}`);
  }
}

/**
 * How long a replaced version keeps serving under the request loop: the requests it still has in
 * flight must finish before busybox httpd is stopped, which can take over half a second on a
 * loaded machine (the fixture's 500 ms is enough where nothing is in flight).
 */
const UNDER_LOAD_DRAIN_MS = 2_000;

/** Runs `change` under a request loop; returns what the clients saw. */
async function underLoad(host: string, change: () => Promise<unknown>) {
  const loop = requestLoop(pf.proxy.port, host, pf.cert.ca);
  const drainMs = d.drainMs;
  d.drainMs = UNDER_LOAD_DRAIN_MS;
  try {
    await loop.served(20);
    await change();
    await loop.served(20);
  } finally {
    d.drainMs = drainMs;
  }
  return loop.stop();
}

test("redeploy and rollback under a request loop: zero failed requests", async () => {
  const host = `zd.${ZONE}`;
  const first = await deploy(d, webService("zd", V1, pf.proxy.port, HEALTH), "test");
  const portA = first.routes[0]?.hostPort;
  await retry(async () =>
    assert.equal((await httpsGet(pf.proxy.port, host, pf.cert.ca)).body, "version 1\n"),
  );

  let second: Awaited<ReturnType<typeof deploy>> | undefined;
  const up = await underLoad(host, async () => {
    second = await deploy(d, webService("zd", V2, pf.proxy.port, HEALTH), "test");
  });
  assert.deepEqual(up.failures, [], "no request failed during the redeploy");
  assertSwitched(up, "version 1\n", "version 2\n");
  assert.deepEqual(second?.containers, [{ name: "zd-web", outcome: "rolled" }]);
  const portB = second?.routes[0]?.hostPort;
  assert.notEqual(portB, portA);
  assert.equal(await backendOf(host), `127.0.0.1:${portB}`);
  assert.deepEqual(
    d.registry.routes("zd").map((r) => [r.hostPort, r.sparePort]),
    [[portB, portA]],
  );
  assert.deepEqual(await containers(), ["zd-web"], "the old version is drained and removed");

  const back = await underLoad(host, () => rollbackService(d, "zd", "test"));
  assert.deepEqual(back.failures, [], "no request failed during the rollback");
  assertSwitched(back, "version 2\n", "version 1\n");
  // The pair of ports: back on the first one, the second one spare.
  assert.deepEqual(
    d.registry.routes("zd").map((r) => [r.hostPort, r.sparePort]),
    [[portA, portB]],
  );
  assert.deepEqual(await containers(), ["zd-web"]);
  assert.deepEqual(
    d.registry.deploys("zd").map((x) => [x.kind, x.outcome]),
    [
      ["rollback", "ok"],
      ["deploy", "ok"],
      ["deploy", "ok"],
    ],
  );
  // The same definition again keeps the container; a second rollback returns to version 2.
  const same = await deploy(d, webService("zd", V1, pf.proxy.port, HEALTH), "test");
  assert.deepEqual(same.containers, [{ name: "zd-web", outcome: "kept" }]);
  const again = await rollbackService(d, "zd", "test");
  assert.equal(again.result.containers[0]?.outcome, "rolled");
  assert.equal((await httpsGet(pf.proxy.port, host, pf.cert.ca)).body, "version 2\n");

  // A named deploy of the history; an unknown one is refused.
  await assert.rejects(rollbackService(d, "zd", "test", 99_999), /no successful deploy #99999/);
  const firstId = d.registry.deploys("zd").at(-1)?.id ?? 0;
  assert.equal((await rollbackService(d, "zd", "test", firstId)).from, firstId);
  assert.equal((await httpsGet(pf.proxy.port, host, pf.cert.ca)).body, "version 1\n");
  assert.deepEqual(await containers(), ["zd-web"]);
});

test("a new version that fails its health check leaves the old one serving", async () => {
  const host = `zh.${ZONE}`;
  await deploy(d, webService("zh", V1, pf.proxy.port, HEALTH), "test");
  const before = d.registry.routes("zh");
  const sick = ["[components.health]", 'http = "/no-such-page"', "timeout_seconds = 2"];
  const r = await underLoad(host, () =>
    assert.rejects(
      deploy(d, webService("zh", V2, pf.proxy.port, sick), "test"),
      /deploy zh: step containers failed: zh-web did not answer GET \/no-such-page/,
    ),
  );
  assert.deepEqual(r.failures, []);
  assert.deepEqual(r.pages, ["version 1\n"]);
  assert.deepEqual(d.registry.routes("zh"), before);
  const live = await p.client.listContainers("mcp.service=zh");
  assert.deepEqual(
    live.map((c) => [c.name, c.image, c.state]),
    [["zh-web", V1, "running"]],
  );
  assert.equal(d.registry.getService("zh")?.definition.components[0]?.image, V1);
  assert.deepEqual(
    d.registry.deploys("zh").map((x) => [x.outcome, x.failedStep]),
    [
      ["failed", "containers"],
      ["ok", null],
    ],
  );
});
