// MCP's container runtime path: create-to-serving and list latency through MCP's own libpod
// REST client (one HTTP request each on podman's Unix socket) against the podman CLI doing the
// same (`podman run -d`, `podman ps -a --format json`), on a private rootful podman with the
// busybox image the MCP tests use. Median of RUNS. Then the deploy path end to end
// (platform.ts): deploy-to-serving through MC-Proxy against a bare `podman run`, and recover
// of 20 services in 3 boot stages.
//   node --import tsx bench/mcp/run.ts
// Writes bench/results/mcp.md.

import { writeFileSync } from "node:fs";
import { request } from "node:http";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { startAgentFixture } from "@metacircular/mcp/test-agent";
import { buildBusyboxImage, startPodman } from "@metacircular/mcp/test-podman";
import { freePort } from "@metacircular/testkit";
import { DEPLOYS, deployToServing, RECOVER_SERVICES, RECOVERS, recoverStages } from "./platform.ts";

const RUNS = 10;
const IMAGE = "localhost/bench/bb:v1";
const loadStart = loadavg()[0]?.toFixed(2);

function ok(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const r = request({ host: "127.0.0.1", port, path: "/", timeout: 1_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200));
    });
    r.on("error", () => resolve(false));
    r.on("timeout", () => r.destroy());
    r.end();
  });
}

async function serving(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await ok(port))) {
    if (Date.now() > deadline) throw new Error(`port ${port} never served`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const f = (x: number) => `${x.toFixed(0)} ms`;
const cpuMs = (s: number) => `${(s * 1000).toFixed(0)} ms`;

/** The deploy path with the agent, MC-Proxy, MCNS and MCIAS: its section of the results. */
async function platformSection(): Promise<string[]> {
  const fx = await startAgentFixture(IMAGE, "bench\n");
  try {
    const { agent, bare } = await deployToServing(fx, IMAGE);
    const rec = await recoverStages(fx, IMAGE);
    const ratio = median(agent.ms) / median(bare.ms);
    const cpu = (t: typeof agent) =>
      `${cpuMs(t.cpu.agent)} / ${cpuMs(t.cpu.podman)} / ${cpuMs(t.cpu.proxy)}`;
    return [
      "## Deploy-to-serving and recover",
      "",
      "The agent's use cases in the benchmark process, beside real MCIAS, MC-Proxy and MCNS",
      "processes (the MCP test platform) and a private rootful podman. Deploy-to-serving: a new",
      "service (host port, certificate, container, proxy route, DNS record, registry) until an",
      "HTTPS GET through MC-Proxy to its host name answers 200; the floor is a bare",
      "`podman run -d --init -p` of the same image until HTTP 200 on the published port.",
      `Recover: ${RECOVER_SERVICES} services in 3 \`[[boot.sequence]]\` stages, every container`,
      "removed from podman, until all of them serve through MC-Proxy again. CPU per operation:",
      "agent (this process) / podman's service / MC-Proxy.",
      "",
      "| what | runs | p50 | max | CPU per op (agent / podman / proxy) |",
      "|------|-----:|----:|----:|------|",
      `| deploy-to-serving through MC-Proxy | ${DEPLOYS} | ${f(median(agent.ms))} | ${f(Math.max(...agent.ms))} | ${cpu(agent)} |`,
      `| bare \`podman run\` to serving (floor) | ${DEPLOYS} | ${f(median(bare.ms))} | ${f(Math.max(...bare.ms))} | ${cpu(bare)} |`,
      `| recover ${RECOVER_SERVICES} services in 3 stages | ${RECOVERS} | ${f(median(rec.ms))} | ${f(Math.max(...rec.ms))} | ${cpu(rec)} |`,
      "",
      `Deploy-to-serving is ${ratio.toFixed(2)}× the bare run (targets: p50 ≤ 1.5 s; recover ≤ 10 s).`,
      `Load average ${loadavg()[0]?.toFixed(2)} when this section finished.`,
      "",
    ];
  } finally {
    await fx.stop();
  }
}

const p = await startPodman();
let runtime: string[] = [];
try {
  await buildBusyboxImage(p, IMAGE, "bench\n");
  const api: number[] = [];
  const cli: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let port = await freePort();
    let t0 = performance.now();
    await p.client.createContainer({
      name: `api-${i}`,
      image: IMAGE,
      env: { PORT: "8080" },
      ports: [{ hostPort: port, containerPort: 8080 }],
      volumes: [],
      restart: "no",
      init: true,
      labels: { bench: "1" },
    });
    await p.client.startContainer(`api-${i}`);
    await serving(port);
    api.push(performance.now() - t0);
    port = await freePort();
    t0 = performance.now();
    await p.cli([
      "run",
      "-d",
      "--init",
      "--name",
      `cli-${i}`,
      "--label",
      "bench=1",
      "-e",
      "PORT=8080",
      "-p",
      `127.0.0.1:${port}:8080`,
      IMAGE,
    ]);
    await serving(port);
    cli.push(performance.now() - t0);
  }
  const listApi: number[] = [];
  const listCli: number[] = [];
  for (let i = 0; i < RUNS * 2; i++) {
    let t0 = performance.now();
    await p.client.listContainers();
    listApi.push(performance.now() - t0);
    t0 = performance.now();
    await p.cli(["ps", "-a", "--format", "json"]);
    listCli.push(performance.now() - t0);
  }
  runtime = [
    "# MCP: container runtime latency",
    "",
    "`node --import tsx bench/mcp/run.ts`: a private rootful podman 4.3 (vfs storage, runc,",
    "catatonit as `--init`), the 2 MB busybox-static image FROM scratch serving one page with",
    `\`busybox httpd\`; ${RUNS} containers each way (median), ${RUNS * 2} lists of ${RUNS * 2} containers.`,
    `Machine: ${cpus().length} cores, shared with other work (load average ${loadStart} at start,`,
    `${loadavg()[0]?.toFixed(2)} at the end).`,
    "",
    "| what | MCP libpod client | podman CLI |",
    "|------|------------------:|-----------:|",
    `| create-to-serving (create + start, until HTTP 200 on the published port) | ${f(median(api))} | ${f(median(cli))} |`,
    `| list all containers | ${f(median(listApi))} | ${f(median(listCli))} |`,
    "",
    "The CLI forks a podman process per call (Go start-up, storage and database open); the",
    "client is one HTTP request on the service's Unix socket over a kept-alive connection.",
    "",
  ];
} finally {
  await p.stop();
}
const md = [...runtime, ...(await platformSection())].join("\n");
writeFileSync(join(import.meta.dirname, "../results/mcp.md"), md);
process.stdout.write(md);
