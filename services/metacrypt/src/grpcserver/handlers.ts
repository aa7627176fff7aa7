// gRPC handlers: translate messages to the use cases in service/ops.ts (REST calls the same),
// validating with the same schemas as the REST bodies.

import { create, type JsonObject } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { requireIdentityFrom } from "@metacircular/mcdsl/grpc";
import {
  AuditEntrySchema,
  AuditService,
  ListAuditResponseSchema,
  VerifyAuditResponseSchema,
} from "@metacircular/proto/metacrypt/v1/audit_pb";
import {
  CreateMountResponseSchema,
  DeleteMountResponseSchema,
  EngineResponseSchema,
  EngineService,
  ListMountsResponseSchema,
  MountService,
} from "@metacircular/proto/metacrypt/v1/engine_pb";
import {
  DeleteRuleResponseSchema,
  ExplainResponseSchema,
  ListRulesResponseSchema,
  PolicyService,
  PutRuleResponseSchema,
  type Rule as RuleMsg,
  RuleSchema,
} from "@metacircular/proto/metacrypt/v1/policy_pb";
import {
  InitResponseSchema,
  StatusResponseSchema,
  SysService,
} from "@metacircular/proto/metacrypt/v1/sys_pb";
import type { SealStatus } from "../barrier/index.ts";
import { parseData } from "../engines/parse.ts";
import { type Rule, ruleSchema } from "../policy/rules.ts";
import type { MetacryptOps } from "../service/ops.ts";
import {
  explainBody,
  initBody,
  toExplain,
  toInit,
  toUnseal,
  unsealBody,
} from "../service/requests.ts";
import { registerCertService } from "./cert-handlers.ts";

const status = (s: SealStatus) => create(StatusResponseSchema, { ...s, mode: s.mode ?? "" });
const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ""));

function ruleIn(m: RuleMsg | undefined): Rule {
  const raw = m ? defined({ ...m, $typeName: undefined, $unknown: undefined }) : {};
  // An empty repeated field is "unset" in proto3: REST's defaults apply.
  for (const k of ["names", "operations"])
    if (Array.isArray(raw[k]) && (raw[k] as unknown[]).length === 0) delete raw[k];
  return parseData(ruleSchema, raw);
}
const ruleOut = (r: Rule) =>
  create(RuleSchema, { ...r, names: r.names ?? [], description: r.description ?? "" });

export function registerHandlers(router: ConnectRouter, ops: MetacryptOps): void {
  registerAudit(router, ops);
  registerCertService(router, ops);
  router.service(SysService, {
    status: () => status(ops.status()),
    init: async (req, ctx) => {
      const body = parseData(
        initBody,
        defined({ password: req.password, shares: req.shares, threshold: req.threshold }),
      );
      return create(InitResponseSchema, await ops.init(requireIdentityFrom(ctx), toInit(body)));
    },
    unseal: async (req) =>
      status(
        await ops.unseal(
          toUnseal(parseData(unsealBody, defined({ password: req.password, share: req.share }))),
          "grpc",
        ),
      ),
    seal: (_req, ctx) => status(ops.seal(requireIdentityFrom(ctx))),
  });
  router.service(MountService, {
    listMounts: (_req, ctx) =>
      create(ListMountsResponseSchema, {
        mounts: ops.listMounts(requireIdentityFrom(ctx)).map(mountMsg),
      }),
    createMount: async (req, ctx) =>
      create(CreateMountResponseSchema, {
        mount: mountMsg(
          await ops.createMount(requireIdentityFrom(ctx), req.name, req.type, req.config),
        ),
      }),
    deleteMount: (req, ctx) => {
      ops.deleteMount(requireIdentityFrom(ctx), req.name);
      return create(DeleteMountResponseSchema, {});
    },
  });
  router.service(EngineService, {
    request: async (req, ctx) => {
      const out = await ops.request(
        requireIdentityFrom(ctx),
        req.mount,
        req.operation,
        req.data ?? {},
      );
      return create(EngineResponseSchema, {
        result: JSON.parse(JSON.stringify(out)) as JsonObject,
      });
    },
  });
  router.service(PolicyService, {
    listRules: (_req, ctx) =>
      create(ListRulesResponseSchema, {
        rules: ops.listRules(requireIdentityFrom(ctx)).map(ruleOut),
      }),
    putRule: (req, ctx) =>
      create(PutRuleResponseSchema, {
        rule: ruleOut(ops.putRule(requireIdentityFrom(ctx), ruleIn(req.rule))),
      }),
    deleteRule: (req, ctx) => {
      ops.deleteRule(requireIdentityFrom(ctx), req.id);
      return create(DeleteRuleResponseSchema, {});
    },
    explain: (req, ctx) => {
      const body = parseData(explainBody, {
        subject: { username: req.username, account_type: req.accountType, roles: req.roles },
        mount: req.mount,
        operation: req.operation,
        names: req.names,
      });
      return create(ExplainResponseSchema, ops.explain(requireIdentityFrom(ctx), toExplain(body)));
    },
  });
}

const mountMsg = (m: { name: string; type: string; created_at: string }) => ({
  name: m.name,
  type: m.type,
  createdAt: m.created_at,
});

function registerAudit(router: ConnectRouter, ops: MetacryptOps): void {
  router.service(AuditService, {
    listAudit: (req, ctx) => {
      const q: { actor?: string; mount?: string; limit: number } = {
        limit: Math.min(req.limit || 100, 1000),
      };
      if (req.actor) q.actor = req.actor;
      if (req.mount) q.mount = req.mount;
      const entries = ops.auditLog(requireIdentityFrom(ctx), q).map((e) =>
        create(AuditEntrySchema, {
          ...e,
          seq: BigInt(e.seq),
          mount: e.mount ?? "",
          target: e.target ?? "",
          rule: e.rule ?? "",
          prevHash: e.prev_hash,
        }),
      );
      return create(ListAuditResponseSchema, { entries });
    },
    verifyAudit: (_req, ctx) => {
      const v = ops.verifyAudit(requireIdentityFrom(ctx));
      return create(VerifyAuditResponseSchema, {
        ok: v.ok,
        rows: BigInt(v.rows),
        problem: v.problem ?? "",
      });
    },
  });
}
