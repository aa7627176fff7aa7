// Admin routes for login policy rules, the audit log and signing-key rotation; each translates
// the request into one domain call (src/policy/admin.ts, src/tokens/admin.ts).
import { readJsonValue } from "@metacircular/mcdsl/http";
import type { Core } from "../app.ts";
import {
  createRule,
  deleteRule,
  getRule,
  listRules,
  ruleRecord,
  updateRule,
} from "../policy/admin.ts";
import { rotateSigningKey } from "../tokens/admin.ts";
import { iso, param } from "./request.ts";
import type { Router } from "./router.ts";

/** The :id path parameter as a number (the domain refuses anything but a positive integer). */
const ruleId = (c: Parameters<Parameters<Router["add"]>[2]>[0]) => Number(param(c, "id"));

export function registerPolicyAuditRoutes(r: Router, core: Core): void {
  const actor = (c: Parameters<Parameters<Router["add"]>[2]>[0]) => c.get("caller")!.username;

  r.add("GET", "/v1/policies", (c) => {
    const l = listRules(core);
    return c.json({ default: l.defaultEffect, rules: l.rules.map(ruleRecord) });
  });
  r.add("POST", "/v1/policies", async (c) => {
    const rule = createRule(core, actor(c), await readJsonValue(c));
    return c.json(ruleRecord(rule), 201);
  });
  r.add("GET", "/v1/policies/:id", (c) => c.json(ruleRecord(getRule(core, ruleId(c)))));
  r.add("PUT", "/v1/policies/:id", async (c) => {
    const rule = updateRule(core, actor(c), ruleId(c), await readJsonValue(c));
    return c.json(ruleRecord(rule));
  });
  r.add("DELETE", "/v1/policies/:id", (c) => {
    deleteRule(core, actor(c), ruleId(c));
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
    const r = rotateSigningKey(core, actor(c));
    return c.json({ kid: r.kid, keys: r.kids });
  });
}
