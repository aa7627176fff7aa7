// gRPC twins of the policy tools (REST: src/server/routes-policy-tools.ts): each method turns
// its message into the same input the REST body carries and calls the same domain function.
import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type CandidateRules,
  type PolicyService,
  PolicyVersionSchema,
  type PolicyVersion as VersionMsg,
} from "@metacircular/proto/mcias/v1/policy_pb";
import type { Core } from "../app.ts";
import { explainMismatch, type Mismatch } from "../policy/engine.ts";
import { dryRun, lintPolicy } from "../policy/rehearsal.ts";
import { type TraceResult, traceLogin } from "../policy/trace-login.ts";
import { applyPolicy, rollbackPolicy } from "../policy/versioning.ts";
import type { PolicyVersion } from "../policy/versions.ts";
import { caller, iso, ruleInput, ruleMsg } from "./convert.ts";

type PolicyToolMethods = Pick<
  ServiceImpl<typeof PolicyService>,
  | "traceLogin"
  | "dryRunPolicy"
  | "lintPolicy"
  | "applyPolicy"
  | "listPolicyVersions"
  | "getPolicyVersion"
  | "rollbackPolicy"
>;

/** Candidate rules as the REST body carries them (id 0 = a new rule). */
function candidate(c: CandidateRules | undefined): unknown {
  return (c?.rules ?? []).map((r) => ({
    ...ruleInput(r),
    ...(r.id > 0n ? { id: Number(r.id) } : {}),
  }));
}

function mismatchMsg(m: Mismatch) {
  return {
    criterion: m.criterion,
    wanted: m.wanted,
    had: "had" in m ? (Array.isArray(m.had) ? m.had : [m.had]) : [],
    missing: m.criterion === "tags" ? m.missing : [],
    explanation: explainMismatch(m),
  };
}

function versionMsg(v: PolicyVersion): VersionMsg {
  return create(PolicyVersionSchema, {
    version: BigInt(v.version),
    createdAt: iso(v.createdAt),
    actor: v.actor,
    kind: v.kind,
    comment: v.comment,
    restoredFrom: BigInt(v.restoredFrom ?? 0),
    rules: v.rules.map(ruleMsg),
  });
}

function traceMsg(t: TraceResult) {
  return {
    username: t.account.username,
    accountType: t.account.type,
    roles: t.account.roles,
    accountStatus: t.account.status,
    credentials: t.credentials,
    secondFactorRequired: t.secondFactorRequired,
    version: BigInt(t.version ?? 0),
    defaultEffect: t.defaultEffect,
    effect: t.trace.effect,
    ruleId: BigInt(t.trace.ruleId ?? 0),
    steps: t.trace.steps.map((s) => ({
      rule: ruleMsg(s.rule),
      matched: s.mismatches.length === 0,
      mismatches: s.mismatches.map(mismatchMsg),
    })),
    wouldLogIn: t.wouldLogIn,
  };
}

export function policyToolHandlers(core: Core): PolicyToolMethods {
  const actor = (ctx: Parameters<typeof caller>[0]) => caller(ctx).username;
  return {
    async traceLogin(req, ctx) {
      const t = await traceLogin(core, actor(ctx), {
        username: req.username,
        ...(req.password ? { password: req.password } : {}),
        service_name: req.serviceName,
        tags: req.tags,
        ...(req.candidate ? { rules: candidate(req.candidate) } : {}),
      });
      return traceMsg(t);
    },
    dryRunPolicy(req) {
      const r = dryRun(core, {
        rules: candidate(req.candidate),
        ...(req.limit ? { limit: req.limit } : {}),
      });
      return {
        version: BigInt(r.version),
        replayed: BigInt(r.replayed),
        skipped: BigInt(r.skipped),
        ruleChanges: BigInt(r.ruleChanges),
        changes: r.changes.map((c) => ({
          seq: BigInt(c.login.seq),
          time: iso(c.login.ts),
          username: c.login.username,
          roles: c.login.ctx.roles,
          accountType: c.login.ctx.accountType,
          serviceName: c.login.ctx.serviceName,
          tags: c.login.ctx.tags,
          beforeEffect: c.login.decision.effect,
          beforeRuleId: BigInt(c.login.decision.ruleId ?? 0),
          afterEffect: c.after.effect,
          afterRuleId: BigInt(c.after.ruleId ?? 0),
        })),
      };
    },
    lintPolicy(req) {
      const r = lintPolicy(core, req.candidate ? candidate(req.candidate) : undefined);
      return {
        version: BigInt(r.version ?? 0),
        findings: r.findings.map((f) => ({
          kind: f.kind,
          severity: f.severity,
          ruleId: BigInt(f.ruleId),
          otherRuleId: BigInt(f.otherRuleId ?? 0),
          names: f.names ?? [],
          message: f.message,
        })),
      };
    },
    applyPolicy(req, ctx) {
      const v = applyPolicy(core, actor(ctx), {
        rules: candidate(req.candidate),
        comment: req.comment,
        ...(req.baseVersion > 0n ? { base_version: Number(req.baseVersion) } : {}),
      });
      return { version: versionMsg(v) };
    },
    listPolicyVersions(req) {
      return {
        current: BigInt(core.policyVersions.current()),
        versions: core.policyVersions.list(req.limit || 100).map(versionMsg),
      };
    },
    getPolicyVersion(req) {
      return { version: versionMsg(core.policyVersions.get(Number(req.version))) };
    },
    rollbackPolicy(req, ctx) {
      return {
        version: versionMsg(rollbackPolicy(core, actor(ctx), Number(req.version), req.comment)),
      };
    },
  };
}
