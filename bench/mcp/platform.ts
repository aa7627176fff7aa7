// MCP's deploy path end to end, on a private rootful podman beside real MCIAS, MC-Proxy and MCNS
// processes (the test platform), the agent's use cases in this process:
// - deploy-to-serving: `deploy` of a new service (ports, certificate from the static pair,
//   container, proxy route, DNS record, registry) until an HTTPS GET through MC-Proxy to its
//   host name answers 200, against a bare `podman run -d` of the same image until HTTP 200 on
//   the published port (the floor);
// - recover: 20 services in 3 boot stages, every container gone from podman, until all 20
//   serve through MC-Proxy again.
// Each with the CPU the agent (this process), podman's service and MC-Proxy spent per operation.
import { request as httpRequest } from "node:http";
import { request } from "node:https";
import { recoverAll } from "@metacircular/mcp/boot";
import { deploy } from "@metacircular/mcp/deploy";
import { type AgentFixture, webService } from "@metacircular/mcp/test-agent";
import { freePort } from "@metacircular/testkit";
import { cpuSeconds } from "../lib/proc.ts";

export const DEPLOYS = 10;
export const RECOVER_SERVICES = 20;
export const RECOVERS = 3;
const ZONE = "svc.mcp.metacircular.net";

function answers(get: () => ReturnType<typeof httpRequest>): Promise<boolean> {
  return new Promise((resolve) => {
    const r = get();
    r.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200));
    });
    r.on("error", () => resolve(false));
    r.setTimeout(2_000, () => r.destroy());
    r.end();
  });
}

const viaProxy = (fx: AgentFixture, host: string) => () =>
  request({
    host: "127.0.0.1",
    port: fx.pf.proxy.port,
    servername: host,
    headers: { host },
    ca: fx.pf.cert.ca,
    agent: false,
  });

const direct = (port: number) => () =>
  httpRequest({ host: "127.0.0.1", port, path: "/", agent: false });

async function until(get: () => ReturnType<typeof httpRequest>): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await answers(get))) {
    if (Date.now() > deadline) throw new Error("never served");
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface Timed {
  ms: number[];
  /** CPU seconds per operation: this process (the agent), podman's service, MC-Proxy. */
  cpu: { agent: number; podman: number; proxy: number };
}

async function timed(
  fx: AgentFixture,
  n: number,
  op: (i: number) => Promise<void>,
  prepare: () => Promise<unknown> = async () => undefined,
) {
  const pids = { podman: fx.p.pid, proxy: fx.pf.proxy.child.proc.pid ?? 0 };
  const c0 = process.cpuUsage();
  const p0 = { podman: cpuSeconds(pids.podman), proxy: cpuSeconds(pids.proxy) };
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    await prepare();
    const t0 = performance.now();
    await op(i);
    ms.push(performance.now() - t0);
  }
  const c = process.cpuUsage(c0);
  const out: Timed = {
    ms,
    cpu: {
      agent: (c.user + c.system) / 1e6 / n,
      podman: (cpuSeconds(pids.podman) - p0.podman) / n,
      proxy: (cpuSeconds(pids.proxy) - p0.proxy) / n,
    },
  };
  return out;
}

/** Deploy-to-serving through the proxy, and the bare `podman run` floor, DEPLOYS each. */
export async function deployToServing(fx: AgentFixture, image: string) {
  const port = fx.pf.proxy.port;
  const agent = await timed(fx, DEPLOYS, async (i) => {
    await deploy(fx.d, webService(`bd${i}`, image, port), "bench");
    await until(viaProxy(fx, `bd${i}.${ZONE}`));
  });
  const bare = await timed(fx, DEPLOYS, async (i) => {
    const hostPort = await freePort();
    await fx.p.cli([
      ...["run", "-d", "--init", "--name", `bare-${i}`, "-e", `PORT=${hostPort}`],
      ...["-p", `127.0.0.1:${hostPort}:${hostPort}`, image],
    ]);
    await until(direct(hostPort));
  });
  for (let i = 0; i < DEPLOYS; i++) fx.d.registry.deleteService(`bd${i}`);
  return { agent, bare };
}

/** RECOVER_SERVICES services in 3 stages; RECOVERS times: every container removed, recover. */
export async function recoverStages(fx: AgentFixture, image: string) {
  const names = Array.from({ length: RECOVER_SERVICES }, (_, i) => `rc${i}`);
  const third = Math.ceil(names.length / 3);
  fx.d.bootSequence = [
    { name: "foundation", services: names.slice(0, third) },
    { name: "core", services: names.slice(third, 2 * third) },
    { name: "services", services: names.slice(2 * third) },
  ];
  for (const n of names) await deploy(fx.d, webService(n, image, fx.pf.proxy.port), "bench");
  const wipe = () => fx.p.cli(["rm", "--all", "--force", "--time", "0"]);
  return timed(
    fx,
    RECOVERS,
    async () => {
      const r = await recoverAll(fx.d);
      const failed = r.filter((x) => x.error);
      if (failed.length) throw new Error(`recover failed: ${JSON.stringify(failed)}`);
      await Promise.all(names.map((n) => until(viaProxy(fx, `${n}.${ZONE}`))));
    },
    wipe,
  );
}
