// gRPC handlers: each translates a message to one RegistryAdmin call (REST and the web UI call
// the same) and the answer back; policy rules are validated with the REST body's schema.
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { AppError } from "@metacircular/mcdsl/errors";
import { requireIdentityFrom } from "@metacircular/mcdsl/grpc";
import {
  AdminService,
  AuditEntrySchema,
  CreatePolicyResponseSchema,
  DeletePolicyResponseSchema,
  ListAuditResponseSchema,
  ListPoliciesResponseSchema,
  type PolicyRule,
  PolicyRuleSchema,
  RunGcResponseSchema,
} from "@metacircular/proto/mcr/v1/admin_pb";
import {
  DeleteManifestResponseSchema,
  DeleteTagResponseSchema,
  ListRepositoriesResponseSchema,
  ListTagsResponseSchema,
  RegistryService,
} from "@metacircular/proto/mcr/v1/registry_pb";
import { type RuleInput, type RuleView, ruleInput } from "../policy/policy-store.ts";
import type { RegistryAdmin } from "../registry/admin-ops.ts";

function ruleIn(m: PolicyRule | undefined): RuleInput {
  const r = ruleInput.safeParse({
    priority: m?.priority ?? 0,
    repository: m?.repository ?? "",
    subject_kind: m?.subjectKind ?? "",
    subject: m?.subject ?? "",
    actions: m?.actions ?? [],
    effect: m?.effect ?? "",
  });
  if (!r.success) {
    const i = r.error.issues[0];
    throw AppError.badRequest("invalid_request", `${i?.path.join(".")}: ${i?.message}`);
  }
  return r.data;
}

const ruleOut = (r: RuleView) =>
  create(PolicyRuleSchema, {
    id: BigInt(r.id),
    priority: r.priority,
    repository: r.repository,
    subjectKind: r.subject_kind,
    subject: r.subject,
    actions: r.actions,
    effect: r.effect,
  });

function registerRegistry(router: ConnectRouter, admin: RegistryAdmin): void {
  router.service(RegistryService, {
    listRepositories: (_req, ctx) =>
      create(ListRepositoriesResponseSchema, {
        repositories: admin.repositories(requireIdentityFrom(ctx)).map((r) => ({
          name: r.name,
          tags: r.tags,
          manifests: r.manifests,
          createdAt: r.created_at,
        })),
      }),
    listTags: (req, ctx) =>
      create(ListTagsResponseSchema, {
        repository: req.repository,
        tags: admin.tags(requireIdentityFrom(ctx), req.repository).map((t) => ({
          tag: t.tag,
          digest: t.digest,
          mediaType: t.media_type,
          size: BigInt(t.size),
          updatedAt: t.updated_at,
        })),
      }),
    deleteTag: (req, ctx) => {
      admin.deleteTag(requireIdentityFrom(ctx), req.repository, req.tag);
      return create(DeleteTagResponseSchema, {});
    },
    deleteManifest: (req, ctx) => {
      admin.deleteManifest(requireIdentityFrom(ctx), req.repository, req.digest);
      return create(DeleteManifestResponseSchema, {});
    },
  });
}

function registerAdmin(router: ConnectRouter, admin: RegistryAdmin): void {
  router.service(AdminService, {
    runGc: (req, ctx) => {
      const r = admin.gc(requireIdentityFrom(ctx), req.dryRun);
      return create(RunGcResponseSchema, {
        dryRun: r.dry_run,
        manifests: r.manifests,
        blobs: r.blobs.map((b) => ({ digest: b.digest, size: BigInt(b.size) })),
        bytes: BigInt(r.bytes),
        links: r.links,
        uploads: r.uploads,
      });
    },
    listPolicies: (_req, ctx) =>
      create(ListPoliciesResponseSchema, {
        policies: admin.policies(requireIdentityFrom(ctx)).map(ruleOut),
      }),
    createPolicy: (req, ctx) =>
      create(CreatePolicyResponseSchema, {
        rule: ruleOut(admin.addPolicy(requireIdentityFrom(ctx), ruleIn(req.rule))),
      }),
    deletePolicy: (req, ctx) => {
      admin.deletePolicy(requireIdentityFrom(ctx), Number(req.id));
      return create(DeletePolicyResponseSchema, {});
    },
    listAudit: (req, ctx) => {
      const entries = admin.audit(requireIdentityFrom(ctx), {
        limit: req.limit,
        repository: req.repository || undefined,
        action: req.action || undefined,
        before: req.before > 0n ? Number(req.before) : undefined,
      });
      return create(ListAuditResponseSchema, {
        entries: entries.map((e) =>
          create(AuditEntrySchema, {
            id: BigInt(e.id),
            at: e.at,
            actor: e.actor,
            action: e.action,
            repository: e.repository ?? "",
            reference: e.reference ?? "",
            detail: JSON.stringify(e.detail),
          }),
        ),
      });
    },
  });
}

export function registerHandlers(router: ConnectRouter, admin: RegistryAdmin): void {
  registerRegistry(router, admin);
  registerAdmin(router, admin);
}
