// The agent's deploy, stop, start and undeploy against real neighbours: rootful podman, an
// MC-Proxy process (routes over its admin socket), an MCNS process (records with mcp-agent's
// token from a real MCIAS), checked with an HTTPS client through the proxy and with dig.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AppError } from "@metacircular/mcdsl/errors";
import { deploy } from "../src/agent/deploy.ts";
import type { AgentDeps } from "../src/agent/deps.ts";
import { startService, stopService, undeployService } from "../src/agent/lifecycle.ts";
import { ProxyRoutes } from "../src/agent/proxy.ts";
import { listComponents } from "../src/agent/status.ts";
import {
  type AgentFixture,
  assertRegistryEmpty,
  startAgentFixture,
  webService,
} from "./helpers/agent.ts";
import { type TestPlatform, ZONE } from "./helpers/platform.ts";
import type { TestPodman } from "./helpers/podman.ts";
import { digA, httpsGet } from "./helpers/probe.ts";
import { retry } from "./helpers/retry.ts";

const IMAGE = "localhost/mcp-test/hello:v1";
let p: TestPodman;
let pf: TestPlatform;
let d: AgentDeps;
let fx: AgentFixture;

before(async () => {
  fx = await startAgentFixture(IMAGE, "hello through the proxy\n");
  ({ p, pf, d } = fx);
});
after(() => fx?.stop());

const host = `hello.${ZONE}`;
const proxyRoutes = async () =>
  new Map((await new ProxyRoutes(pf.proxy.socket).routesOn("web")).entries());

test("deploy, redeploy, stop, start, undeploy", async () => {
  const def = webService("hello", IMAGE, pf.proxy.port);
  const first = await deploy(d, def, "test");
  assert.deepEqual(first.containers, [{ name: "hello-web", outcome: "created" }]);
  const port = first.routes[0]?.hostPort ?? 0;
  assert.ok(port >= 20000 && port <= 59000);

  const page = await retry(() => httpsGet(pf.proxy.port, host, pf.cert.ca));
  assert.deepEqual(page, { status: 200, body: "hello through the proxy\n" });
  assert.deepEqual(
    await retry(async () => {
      const a = await digA(pf.mcns.dnsPort, host);
      assert.equal(a.length, 1);
      return a;
    }),
    ["127.0.0.1"],
  );
  assert.equal((await proxyRoutes()).get(host), `127.0.0.1:${port}`);
  const ps = await listComponents(d);
  assert.deepEqual(
    ps.map((c) => [c.service, c.component, c.state, c.ports]),
    [["hello", "web", "running", [port]]],
  );

  // The same definition again: nothing recreated, the same port.
  const again = await deploy(d, def, "test");
  assert.deepEqual(again.containers, [{ name: "hello-web", outcome: "kept" }]);
  assert.equal(again.routes[0]?.hostPort, port);

  await stopService(d, "hello");
  assert.equal((await proxyRoutes()).has(host), false);
  assert.deepEqual(await digA(pf.mcns.dnsPort, host), []);
  assert.equal((await p.client.inspectContainer("hello-web"))?.state, "exited");
  assert.equal(d.registry.getService("hello")?.desired, "stopped");

  await startService(d, "hello", "test");
  assert.equal((await httpsGet(pf.proxy.port, host, pf.cert.ca)).status, 200);
  assert.equal(d.registry.routes("hello")[0]?.hostPort, port);

  await undeployService(d, "hello");
  assert.equal(await p.client.inspectContainer("hello-web"), undefined);
  assert.equal((await proxyRoutes()).has(host), false);
  assert.deepEqual(await digA(pf.mcns.dnsPort, host), []);
  assert.equal(d.registry.getService("hello"), undefined);
  assertRegistryEmpty(d.registry.db);
});

test("a failed step rolls back what the deploy did and names the step", async () => {
  // No MC-Proxy listener on the route's port: the routes step fails after the container ran.
  const bad = webService("broken", IMAGE, 1);
  await assert.rejects(deploy(d, bad, "test"), (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, "deploy_failed");
    assert.match(
      e.message,
      /deploy broken: step routes failed: MC-Proxy has no listener on port 1/,
    );
    return true;
  });
  assert.equal(await p.client.inspectContainer("broken-web"), undefined);
  assert.equal(d.registry.getService("broken"), undefined);
  assert.deepEqual(
    d.registry.deploys("broken").map((x) => [x.outcome, x.failedStep]),
    [["failed", "routes"]],
  );

  // An image that is not on the node, with pulling off: the image step.
  const missing = webService("missing", "localhost/mcp-test/nothing:v9", pf.proxy.port);
  await assert.rejects(deploy(d, missing, "test"), /step image failed: .*not on this node/);
  assert.deepEqual(await listComponents(d), []);

  // A definition for another node is refused before anything happens.
  await assert.rejects(
    deploy(d, { ...bad, node: "elsewhere" }, "test"),
    (e: unknown) => e instanceof AppError && e.code === "wrong_node",
  );
});
