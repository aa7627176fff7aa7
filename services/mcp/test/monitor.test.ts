// The monitor and recovery against real podman, MC-Proxy and MCNS: a container removed or
// stopped behind the agent's back is reported as drift and restored on the same port; a service
// that keeps needing that is marked flapping and left alone; after podman lost every container,
// recover brings each service back on its ports.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { recoverAll } from "../src/agent/boot.ts";
import { deploy } from "../src/agent/deploy.ts";
import type { AgentDeps } from "../src/agent/deps.ts";
import { findDrift, monitorPass } from "../src/agent/monitor.ts";
import { type AgentFixture, startAgentFixture, webService } from "./helpers/agent.ts";
import { type TestPlatform, ZONE } from "./helpers/platform.ts";
import type { TestPodman } from "./helpers/podman.ts";
import { httpsGet } from "./helpers/probe.ts";
import { retry } from "./helpers/retry.ts";

const IMAGE = "localhost/mcp-test/mon:v1";
const POLICY = { restore: true, flapWindowMs: 600_000, flapMax: 2 };
let p: TestPodman;
let pf: TestPlatform;
let d: AgentDeps;
let fx: AgentFixture;

before(async () => {
  fx = await startAgentFixture(IMAGE, "monitored\n");
  ({ p, pf, d } = fx);
});
after(() => fx?.stop());

const serves = (svc: string) =>
  retry(async () => {
    const r = await httpsGet(pf.proxy.port, `${svc}.${ZONE}`, pf.cert.ca);
    assert.equal(r.body, "monitored\n");
  });

test("drift is reported and restored; a service that keeps drifting is marked flapping", async () => {
  const r = await deploy(d, webService("mon", IMAGE, pf.proxy.port), "test");
  const port = r.routes[0]?.hostPort;
  assert.deepEqual(await findDrift(d), []);
  assert.deepEqual((await monitorPass(d, POLICY)).drift, []);

  await p.cli(["rm", "--force", "--time", "0", "mon-web"]);
  const first = await monitorPass(d, POLICY);
  assert.deepEqual(
    first.drift.map((x) => [x.service, x.kind]),
    [["mon", "missing"]],
  );
  assert.deepEqual(first.restored, ["mon"]);
  await serves("mon");
  assert.equal(d.registry.routes("mon")[0]?.hostPort, port);

  await p.cli(["stop", "--time", "0", "mon-web"]);
  const second = await monitorPass(d, POLICY);
  assert.deepEqual(
    second.drift.map((x) => x.kind),
    ["exited"],
  );
  assert.deepEqual(second.restored, ["mon"]);

  await p.cli(["rm", "--force", "--time", "0", "mon-web"]);
  const third = await monitorPass(d, POLICY);
  assert.deepEqual(third.flapping, ["mon"]);
  assert.deepEqual(third.restored, []);
  assert.equal(d.registry.getService("mon")?.health, "flapping");
  const kinds = d.registry.events("mon").map((e) => e.kind);
  assert.ok(kinds.includes("flapping") && kinds.includes("drift"), kinds.join(","));
  // Left alone while flapping; a deploy clears it.
  assert.deepEqual((await monitorPass(d, POLICY)).restored, []);
  await deploy(d, webService("mon", IMAGE, pf.proxy.port), "test");
  assert.equal(d.registry.getService("mon")?.health, "ok");
  await serves("mon");
});

test("recover: every container gone from podman, every service back on its ports", async () => {
  await deploy(d, webService("rec-a", IMAGE, pf.proxy.port), "test");
  await deploy(d, webService("rec-b", IMAGE, pf.proxy.port), "test");
  const before = d.registry.routes().map((r) => [r.service, r.hostPort]);
  await p.cli(["rm", "--all", "--force", "--time", "0"]);
  assert.equal((await p.client.listContainers()).length, 0);
  const r = await recoverAll(d);
  assert.deepEqual(
    r.map((x) => [x.service, x.error]),
    [
      ["mon", ""],
      ["rec-a", ""],
      ["rec-b", ""],
    ],
  );
  assert.deepEqual(
    d.registry.routes().map((x) => [x.service, x.hostPort]),
    before,
  );
  for (const svc of ["mon", "rec-a", "rec-b"]) await serves(svc);
});
