// Admin routes of the policy tools (MCAT's backend): decision trace, dry run, lint, apply,
// versions and rollback. Each translates the request into one domain call (src/policy/).
// They live under /v1/policy/ (the policy as a whole), beside /v1/policies/:id (single rules).
import { readJsonValue } from "@metacircular/mcdsl/http";
import type { Core } from "../app.ts";
import { dryRunRecord, lintRecord, traceRecord, versionRecord } from "../policy/records.ts";
import { dryRun, lintPolicy } from "../policy/rehearsal.ts";
import { traceLogin } from "../policy/trace-login.ts";
import { applyPolicy, checkVersion, rollbackPolicy } from "../policy/versioning.ts";
import { param } from "./request.ts";
import type { Router } from "./router.ts";

type Ctx = Parameters<Parameters<Router["add"]>[2]>[0];

const versionParam = (c: Ctx) => checkVersion(Number(param(c, "version")));

/** An optional JSON body (POST without one is {}). */
async function optionalBody(c: Ctx): Promise<Record<string, unknown>> {
  if (!c.req.header("content-type")) return {};
  const v = await readJsonValue(c);
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : {};
}

export function registerPolicyToolRoutes(r: Router, core: Core): void {
  const actor = (c: Ctx) => c.get("caller")!.username;

  r.add("POST", "/v1/policy/trace", async (c) =>
    c.json(traceRecord(await traceLogin(core, actor(c), await readJsonValue(c)))),
  );
  r.add("POST", "/v1/policy/dry-run", async (c) =>
    c.json(dryRunRecord(dryRun(core, await readJsonValue(c)))),
  );
  r.add("GET", "/v1/policy/lint", (c) => c.json(lintRecord(lintPolicy(core))));
  r.add("POST", "/v1/policy/lint", async (c) => {
    const b = (await readJsonValue(c)) as { rules?: unknown } | null;
    return c.json(lintRecord(lintPolicy(core, b?.rules ?? null)));
  });
  r.add("POST", "/v1/policy/apply", async (c) =>
    c.json(versionRecord(applyPolicy(core, actor(c), await readJsonValue(c))), 201),
  );
  r.add("GET", "/v1/policy/versions", (c) => {
    const limit = Number(c.req.query("limit") ?? 100);
    return c.json({
      current: core.policyVersions.current(),
      versions: core.policyVersions.list(Number.isFinite(limit) ? limit : 100).map(versionRecord),
    });
  });
  r.add("GET", "/v1/policy/versions/:version", (c) =>
    c.json(versionRecord(core.policyVersions.get(versionParam(c)))),
  );
  r.add("POST", "/v1/policy/versions/:version/rollback", async (c) => {
    const b = await optionalBody(c);
    return c.json(versionRecord(rollbackPolicy(core, actor(c), versionParam(c), b.comment)), 201);
  });
}
