// Deploy history and rollback. Every deploy (by an operator, a rollback, a start, the monitor's
// restore or a recover) is a row with the definition it applied and its outcome. A rollback
// redeploys a recorded definition the way any redeploy goes (rolled without downtime): by
// default the newest successful one that differs from the service's current definition (so a
// second rollback returns to where the first one started), or the deploy an operator names.
import { AppError } from "@metacircular/mcdsl/errors";
import type { DeployKind, DeployRow } from "../db/registry.ts";
import type { ServiceDef } from "../servicedef/schema.ts";
import { type DeployResult, deploy } from "./deploy.ts";
import type { AgentDeps } from "./deps.ts";

export interface HistoryEntry {
  id: number;
  kind: DeployKind;
  at: string;
  outcome: DeployRow["outcome"];
  failedStep: string;
  actor: string;
  /** The images the definition named, one per component ("web=…:v2"). */
  images: string[];
}

export const imagesOf = (def: ServiceDef): string[] =>
  def.components.map((c) => `${c.name}=${c.image}`);

export function history(d: AgentDeps, name: string, limit = 10): HistoryEntry[] {
  return d.registry.deploys(name, limit).map((r) => ({
    id: r.id,
    kind: r.kind,
    at: r.startedAt,
    outcome: r.outcome,
    failedStep: r.failedStep ?? "",
    actor: r.actor,
    images: imagesOf(r.definition),
  }));
}

function target(d: AgentDeps, name: string, toId: number): DeployRow {
  const svc = d.registry.getService(name);
  if (!svc) throw AppError.notFound("unknown_service", `no service ${name} on node ${d.node.name}`);
  if (toId > 0) {
    const row = d.registry.deploy(name, toId);
    if (row?.outcome === "ok") return row;
    throw AppError.notFound("unknown_deploy", `no successful deploy #${toId} of ${name}`);
  }
  const current = JSON.stringify(svc.definition);
  const row = d.registry
    .deploys(name)
    .find((r) => r.outcome === "ok" && JSON.stringify(r.definition) !== current);
  if (!row)
    throw new AppError(
      409,
      "no_previous_version",
      `${name} has no earlier definition to go back to`,
    );
  return row;
}

export async function rollbackService(
  d: AgentDeps,
  name: string,
  actor: string,
  toId = 0,
): Promise<{ from: number; result: DeployResult }> {
  const row = target(d, name, toId);
  const result = await deploy(d, row.definition, actor, "rollback");
  d.registry.event(
    name,
    "rolled_back",
    `to the definition of deploy #${row.id} (${imagesOf(row.definition).join(", ")})`,
  );
  return { from: row.id, result };
}
