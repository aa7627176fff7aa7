// Admin routes for login policy rules, the audit log and signing-key rotation.
import { AppError } from "@metacircular/mcdsl/errors";
import { readJsonValue } from "@metacircular/mcdsl/http";
import type { Core } from "../app.ts";
import type { PolicyRule } from "../policy/policy.ts";
import { iso, param } from "./request.ts";
import type { Router } from "./router.ts";

export function ruleJson(r: PolicyRule) {
  return {
    id: r.id,
    priority: r.priority,
    effect: r.effect,
    roles: r.roles,
    account_types: r.accountTypes,
    service_names: r.serviceNames,
    tags: r.tags,
    description: r.description,
  };
}

function ruleId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1)
    throw AppError.badRequest("invalid_rule_id", "rule id must be a positive integer");
  return id;
}

export function registerPolicyAuditRoutes(r: Router, core: Core): void {
  const actor = (c: Parameters<Parameters<Router["add"]>[2]>[0]) => c.get("caller")!.username;

  r.add("GET", "/v1/policies", (c) =>
    c.json({ default: core.cfg.policy.default, rules: core.policy.list().map(ruleJson) }),
  );
  r.add("POST", "/v1/policies", async (c) => {
    const rule = core.policy.create(await readJsonValue(c));
    core.audit.append({
      event: "policy_created",
      outcome: "success",
      actor: actor(c),
      detail: { rule: ruleJson(rule) },
    });
    return c.json(ruleJson(rule), 201);
  });
  r.add("GET", "/v1/policies/:id", (c) =>
    c.json(ruleJson(core.policy.get(ruleId(param(c, "id"))))),
  );
  r.add("PUT", "/v1/policies/:id", async (c) => {
    const rule = core.policy.update(ruleId(param(c, "id")), await readJsonValue(c));
    core.audit.append({
      event: "policy_updated",
      outcome: "success",
      actor: actor(c),
      detail: { rule: ruleJson(rule) },
    });
    return c.json(ruleJson(rule));
  });
  r.add("DELETE", "/v1/policies/:id", (c) => {
    const id = ruleId(param(c, "id"));
    core.policy.delete(id);
    core.audit.append({
      event: "policy_deleted",
      outcome: "success",
      actor: actor(c),
      detail: { rule: id },
    });
    return c.json({ deleted: true });
  });

  r.add("GET", "/v1/audit", (c) => {
    const q = c.req.query();
    const rows = core.audit.query({
      event: q.event,
      actor: q.actor,
      subject: q.subject,
      sinceSeq: q.since_seq ? Number(q.since_seq) : undefined,
      limit: q.limit ? Number(q.limit) : undefined,
    });
    return c.json({
      events: rows.map((e) => ({
        seq: e.seq,
        time: iso(e.ts),
        event: e.event,
        actor: e.actor,
        subject: e.subject,
        ip: e.ip,
        outcome: e.outcome,
        detail: JSON.parse(e.detail) as unknown,
        hash: e.hash,
      })),
    });
  });
  r.add("GET", "/v1/audit/verify", (c) => c.json(core.audit.verify()));

  r.add("POST", "/v1/admin/keys/rotate", (c) => {
    const kid = core.keys.rotate();
    core.audit.append({
      event: "signing_key_rotated",
      outcome: "success",
      actor: actor(c),
      detail: { kid },
    });
    return c.json({ kid, keys: core.keys.jwks().keys.map((k) => k.kid) });
  });
}
