// Boot sequencing against real podman, MC-Proxy, MCNS and MCIAS: [[boot.sequence]] stages
// (foundation → core → services) and a service no stage names. After podman lost every
// container, recover brings the stages back in order: every container of a stage was started
// (podman's own start time) and answered its health check before any container of the next
// stage started; the unnamed service comes last. At start-up the same recovery runs only when
// something that should run is missing.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { bootRecover, recoverAll } from "../src/agent/boot.ts";
import { deploy } from "../src/agent/deploy.ts";
import type { AgentDeps } from "../src/agent/deps.ts";
import { type AgentFixture, startAgentFixture, webService } from "./helpers/agent.ts";
import { type TestPlatform, ZONE } from "./helpers/platform.ts";
import type { TestPodman } from "./helpers/podman.ts";
import { httpsGet } from "./helpers/probe.ts";
import { retry } from "./helpers/retry.ts";

const IMAGE = "localhost/mcp-test/boot:v1";
const SEQUENCE = [
  { name: "foundation", services: ["base"] },
  { name: "core", services: ["core-a", "core-b"] },
  { name: "services", services: ["app"] },
];
const ALL = ["app", "base", "core-a", "core-b", "extra"];
const HEALTH = ["[components.health]", 'http = "/index.html"'];
let p: TestPodman;
let pf: TestPlatform;
let d: AgentDeps;
let fx: AgentFixture;

before(async () => {
  fx = await startAgentFixture(IMAGE, "booted\n");
  ({ p, pf, d } = fx);
  d.bootSequence = SEQUENCE;
});
after(() => fx?.stop());

/** When podman started each service's container (ms since the epoch). */
async function startTimes(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const svc of ALL) {
    const c = await p.client.inspectContainer(`${svc}-web`);
    const at = Date.parse(c?.startedAt ?? "");
    assert.ok(Number.isFinite(at), `${svc}-web has a start time (${c?.startedAt})`);
    out.set(svc, at);
  }
  return out;
}

test("recover brings the boot stages back in order, each healthy before the next", async () => {
  for (const svc of ALL) await deploy(d, webService(svc, IMAGE, pf.proxy.port, HEALTH), "test");
  assert.deepEqual(await bootRecover(d), [], "nothing missing: nothing to do at start-up");

  await p.cli(["rm", "--all", "--force", "--time", "0"]);
  const r = await bootRecover(d);
  assert.deepEqual(
    r.map((x) => [x.stage, x.service, x.error]),
    [
      ["foundation", "base", ""],
      ["core", "core-a", ""],
      ["core", "core-b", ""],
      ["services", "app", ""],
      ["rest", "extra", ""],
    ],
  );
  const at = await startTimes();
  const stages = [["base"], ["core-a", "core-b"], ["app"], ["extra"]];
  for (let i = 1; i < stages.length; i++) {
    const prev = Math.max(...(stages[i - 1] ?? []).map((s) => at.get(s) ?? 0));
    const next = Math.min(...(stages[i] ?? []).map((s) => at.get(s) ?? 0));
    assert.ok(prev < next, `stage ${i - 1} started before stage ${i} (${prev} < ${next})`);
  }
  for (const svc of ALL) {
    await retry(async () =>
      assert.equal((await httpsGet(pf.proxy.port, `${svc}.${ZONE}`, pf.cert.ca)).body, "booted\n"),
    );
  }
  const events = d.registry.events("core-a").map((e) => [e.kind, e.message]);
  assert.deepEqual(events[0], ["recovered", "boot stage core"]);

  // Without a sequence: one stage, core tier first, then by name.
  d.bootSequence = [];
  await p.cli(["rm", "--all", "--force", "--time", "0"]);
  assert.deepEqual(
    (await recoverAll(d)).map((x) => [x.stage, x.service]),
    ALL.map((s) => ["all", s]),
  );
});
