// Bringing a component's container to its planned spec, and knowing when it is ready for
// traffic. A container already running the planned spec (same spec hash label) is kept;
// otherwise it is replaced in place, or, when it serves routes right now, rolled: the new one
// starts beside it (the old one renamed aside) and the route moves only once the new one is
// healthy. Ready means every route's host port accepts connections and, with a `[health]
// http` path, a GET of it answers 2xx/3xx; a container that exits instead fails the wait with
// its last log lines.
import { request } from "node:http";
import { connect } from "node:net";
import { AppError } from "@metacircular/mcdsl/errors";
import type { PodmanClient } from "../podman/client.ts";
import { LABEL_SPEC, type PlannedComponent } from "./plan.ts";

export type EnsureOutcome = "kept" | "created" | "rolled";

/** The name the running version takes while its successor starts and the route moves. */
export const asideName = (name: string): string => `${name}-old`;

/** Starts the planned container in place of whatever has its name (kept when it matches). */
export async function ensureContainer(
  podman: PodmanClient,
  c: PlannedComponent,
): Promise<EnsureOutcome> {
  const cur = await podman.inspectContainer(c.spec.name);
  if (cur && cur.labels[LABEL_SPEC] === c.specHash) {
    if (cur.state !== "running") await podman.startContainer(c.spec.name);
    return "kept";
  }
  if (cur) await podman.removeContainer(c.spec.name);
  await podman.createContainer(c.spec);
  await podman.startContainer(c.spec.name);
  return "created";
}

/** Renames the running version aside and starts the planned one under the component's name. */
export async function startBeside(podman: PodmanClient, c: PlannedComponent): Promise<void> {
  const aside = asideName(c.spec.name);
  await podman.removeContainer(aside);
  await podman.renameContainer(c.spec.name, aside);
  try {
    await podman.createContainer(c.spec);
    await podman.startContainer(c.spec.name);
  } catch (e) {
    await putBack(podman, c.spec.name);
    throw e;
  }
}

/** Undoes startBeside: the new container removed, the old one back under its name. */
export async function putBack(podman: PodmanClient, name: string): Promise<void> {
  await podman.removeContainer(name);
  await podman.renameContainer(asideName(name), name);
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.setTimeout(1_000);
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("timeout", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", () => resolve(false));
  });
}

/** A plain HTTP GET answering 2xx or 3xx. */
function answers(host: string, port: number, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const r = request({ host, port, path, timeout: 2_000, agent: false }, (res) => {
      res.resume();
      const s = res.statusCode ?? 0;
      resolve(s >= 200 && s < 400);
    });
    r.on("timeout", () => r.destroy());
    r.on("error", () => resolve(false));
    r.end();
  });
}

/** The host port the health check's HTTP GET goes to: the named route, unnamed, or first. */
function healthPort(c: PlannedComponent): number | undefined {
  const routes = c.def.routes;
  const want = c.def.health?.route;
  const i = want
    ? routes.findIndex((r) => r.name === want)
    : Math.max(
        0,
        routes.findIndex((r) => r.name === undefined),
      );
  return c.spec.ports[i]?.hostPort;
}

async function healthy(c: PlannedComponent): Promise<boolean> {
  for (const p of c.spec.ports) {
    if (!(await accepts(p.hostIp ?? "127.0.0.1", p.hostPort))) return false;
  }
  const path = c.def.health?.http;
  const port = healthPort(c);
  if (!path || port === undefined) return true;
  return answers(c.spec.ports[0]?.hostIp ?? "127.0.0.1", port, path);
}

export async function waitReady(
  podman: PodmanClient,
  c: PlannedComponent,
  defaultTimeoutMs: number,
): Promise<void> {
  const timeoutMs = c.def.health ? c.def.health.timeout_seconds * 1000 : defaultTimeoutMs;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await podman.inspectContainer(c.spec.name);
    if (!info || (info.state !== "running" && info.state !== "created")) {
      const logs = info ? await podman.logs(c.spec.name, 5).catch(() => "") : "";
      throw new AppError(
        503,
        "container_exited",
        `${c.spec.name} is ${info?.state ?? "gone"} (exit ${info?.exitCode ?? "?"})${logs ? `: ${logs.trim()}` : ""}`,
      );
    }
    if (info.state === "running" && (await healthy(c))) return;
    if (Date.now() > deadline) {
      const what = c.def.health?.http ? `answer GET ${c.def.health.http}` : "accept connections";
      throw new AppError(
        503,
        "container_not_ready",
        `${c.spec.name} did not ${what} in ${timeoutMs} ms`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
