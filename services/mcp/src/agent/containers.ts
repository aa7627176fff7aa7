// Bringing a component's container to its planned spec: kept when it already runs that spec
// (same spec hash label), otherwise replaced; then waited for until every route's host port
// accepts connections, or the container exits (its last log lines then go into the error).
import { connect } from "node:net";
import { AppError } from "@metacircular/mcdsl/errors";
import type { PodmanClient } from "../podman/client.ts";
import { LABEL_SPEC, type PlannedComponent } from "./plan.ts";

export type EnsureOutcome = "kept" | "created";

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

export async function waitReady(
  podman: PodmanClient,
  c: PlannedComponent,
  timeoutMs: number,
): Promise<void> {
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
    let ready = info.state === "running";
    for (const p of c.spec.ports) {
      if (!ready) break;
      ready = await accepts(p.hostIp ?? "127.0.0.1", p.hostPort);
    }
    if (ready) return;
    if (Date.now() > deadline) {
      throw new AppError(
        503,
        "container_not_ready",
        `${c.spec.name} did not accept connections in ${timeoutMs} ms`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
