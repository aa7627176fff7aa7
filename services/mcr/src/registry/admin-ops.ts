// Every administrative use case of the registry, once: the REST admin API, the gRPC admin API,
// the web UI and (through REST) mcrctl only translate to these calls. Repository-level decisions
// (pull to look, delete to delete) are the policy's; GC, policy rules and the audit log are for
// admins (the access maps say so too). Domain errors leave as AppError with the platform's
// snake_case codes, so every transport reports the same code.
import { AppError } from "@metacircular/mcdsl/errors";
import { isAdmin } from "@metacircular/mcdsl/identity";
import type { GcReport } from "../gc/collect.ts";
import type { GcRunner } from "../gc/gc-runner.ts";
import { OciError } from "../oci/errors.ts";
import type { PolicyStore, RuleInput, RuleView } from "../policy/policy-store.ts";
import type { Action } from "../policy/rules.ts";
import type { AuditEntry, AuditQuery } from "./audit.ts";
import type { RegistryContext } from "./context.ts";
import {
  listManifests,
  type ManifestDetail,
  type ManifestSummary,
  manifestDetail,
} from "./manifest-views.ts";
import { deleteManifest } from "./manifests.ts";
import type { Principal } from "./principal.ts";
import {
  listRepositories,
  listTagViews,
  type RepositoryView,
  type TagView,
} from "./repositories.ts";

/** The registry's spec errors in the platform's shape (snake_case code, same status). */
export function asAppError<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof OciError)
      throw new AppError(err.status, err.code.toLowerCase(), err.message);
    throw err;
  }
}

export const MAX_AUDIT_PAGE = 1000;

export class RegistryAdmin {
  constructor(
    private readonly ctx: RegistryContext,
    private readonly policy: PolicyStore,
    private readonly collector: GcRunner,
  ) {}

  may(who: Principal, repo: string, action: Action): boolean {
    return this.policy.allows(who, repo, action);
  }

  private require(who: Principal, repo: string, action: Action): void {
    if (!this.may(who, repo, action))
      throw AppError.forbidden(`policy does not allow ${action} on ${repo}`, "denied");
  }

  private admin(who: Principal): void {
    if (!isAdmin(who as Parameters<typeof isAdmin>[0]))
      throw AppError.forbidden("admin role required", "forbidden");
  }

  /** Repositories the caller may pull. */
  repositories(who: Principal): RepositoryView[] {
    return listRepositories(this.ctx, (r) => this.may(who, r, "pull"));
  }

  tags(who: Principal, repo: string): TagView[] {
    this.require(who, repo, "pull");
    return asAppError(() => listTagViews(this.ctx, repo));
  }

  manifests(who: Principal, repo: string): ManifestSummary[] {
    this.require(who, repo, "pull");
    return asAppError(() => listManifests(this.ctx, repo));
  }

  manifest(who: Principal, repo: string, reference: string): ManifestDetail {
    this.require(who, repo, "pull");
    return asAppError(() => manifestDetail(this.ctx, repo, reference));
  }

  deleteTag(who: Principal, repo: string, tag: string): void {
    if (tag.includes(":")) throw AppError.badRequest("tag_invalid", "expected a tag, not a digest");
    this.require(who, repo, "delete");
    asAppError(() => deleteManifest(this.ctx, who, repo, tag));
  }

  /** Deletes the manifest and its tags. */
  deleteManifest(who: Principal, repo: string, digest: string): void {
    if (!digest.includes(":")) throw AppError.badRequest("digest_invalid", "expected a digest");
    this.require(who, repo, "delete");
    asAppError(() => deleteManifest(this.ctx, who, repo, digest));
  }

  gc(who: Principal, dryRun: boolean): GcReport {
    this.admin(who);
    return this.collector.run(dryRun);
  }

  policies(who: Principal): RuleView[] {
    this.admin(who);
    return this.policy.list();
  }

  addPolicy(who: Principal, input: RuleInput): RuleView {
    this.admin(who);
    const rule = this.policy.create(input);
    this.ctx.audit.record(who, "policy_create", undefined, String(rule.id), { rule });
    return rule;
  }

  deletePolicy(who: Principal, id: number): void {
    this.admin(who);
    this.policy.delete(id);
    this.ctx.audit.record(who, "policy_delete", undefined, String(id));
  }

  /** Newest first; `limit` is clamped to 1..MAX_AUDIT_PAGE. */
  audit(who: Principal, q: AuditQuery): AuditEntry[] {
    this.admin(who);
    const limit = Math.max(1, Math.min(q.limit || 100, MAX_AUDIT_PAGE));
    return this.ctx.audit.list({ ...q, limit });
  }
}
