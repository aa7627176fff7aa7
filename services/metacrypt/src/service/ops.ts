// Every use case of Metacrypt, once: REST, gRPC and the CLI only translate to these calls.
// Engines refuse with `sealed` while the barrier is sealed; each engine request is decided by
// policy (admins bypass) and the decision is appended to the hash-chained audit log.

import { AppError } from "@metacircular/mcdsl/errors";
import { type Identity, isAdmin, isGuest } from "@metacircular/mcdsl/identity";
import type { AuditLog, AuditQuery, AuditRow } from "../audit/audit-log.ts";
import type { Barrier, InitRequest, SealStatus, UnsealInput } from "../barrier/index.ts";
import { sealedError } from "../barrier/index.ts";
import { buildCrl } from "../ca/crl.ts";
import { chainPem } from "../ca/issuers.ts";
import { answerOcsp } from "../ca/ocsp.ts";
import type { MountInfo, MountTable } from "../mounts/mount-table.ts";
import { type Decision, decide } from "../policy/evaluate.ts";
import type { PolicyStore } from "../policy/policy-store.ts";
import type { Rule } from "../policy/rules.ts";
import { SshCaEngine } from "../ssh-ca/engine.ts";
import { UnsealThrottle } from "./unseal-throttle.ts";

export interface ExplainRequest {
  subject: Identity;
  mount: string;
  operation: string;
  names: string[];
}

/** Guests may authenticate but use nothing here. */
function member(who: Identity): Identity {
  if (isGuest(who)) throw AppError.forbidden("guests cannot use metacrypt", "guest_forbidden");
  return who;
}

export class MetacryptOps {
  readonly unsealThrottle = new UnsealThrottle();

  constructor(
    readonly barrier: Barrier,
    private readonly mounts: MountTable,
    private readonly policy: PolicyStore,
    readonly audit: AuditLog,
  ) {}

  status(): SealStatus {
    return this.barrier.status();
  }

  async init(who: Identity, req: InitRequest): Promise<{ shares?: string[] }> {
    const r = await this.barrier.initialize(req);
    this.audit.append({
      actor: who.username,
      action: "init",
      decision: "info",
      detail: { mode: req.kind },
    });
    return r;
  }

  /** `source`: the client address (REST), "grpc" or "ui"; failures are throttled per source. */
  async unseal(input: UnsealInput, source = "unknown"): Promise<SealStatus> {
    this.unsealThrottle.begin(source);
    let outcome: "failed" | "succeeded" | "neither" = "neither";
    try {
      const s = await this.barrier.unseal(input);
      if (!s.sealed) outcome = "succeeded";
      if (!s.sealed) this.audit.append({ actor: "unsealer", action: "unseal", decision: "info" });
      return s;
    } catch (e) {
      if (e instanceof AppError && e.code === "invalid_unseal_secret") {
        outcome = "failed";
        this.audit.append({ actor: "unsealer", action: "unseal", decision: "deny" });
      }
      throw e;
    } finally {
      this.unsealThrottle.finish(source, outcome);
    }
  }

  seal(who: Identity): SealStatus {
    this.barrier.seal();
    this.audit.append({ actor: who.username, action: "seal", decision: "info" });
    return this.barrier.status();
  }

  listMounts(who: Identity): MountInfo[] {
    member(who);
    return this.mounts.list();
  }

  async createMount(
    who: Identity,
    name: string,
    type: string,
    config?: unknown,
  ): Promise<MountInfo> {
    const m = await this.mounts.create(name, type, config);
    this.audit.append({
      actor: who.username,
      action: "mount",
      mount: name,
      decision: "info",
      detail: { type },
    });
    return m;
  }

  deleteMount(who: Identity, name: string): void {
    this.mounts.remove(name);
    this.audit.append({ actor: who.username, action: "unmount", mount: name, decision: "info" });
  }

  /** `POST /v1/engine/request`: resolve the mount, decide, audit, run. */
  async request(who: Identity, mount: string, operation: string, data: unknown): Promise<unknown> {
    member(who);
    if (this.barrier.isSealed()) throw sealedError();
    const { engine } = this.mounts.engine(mount);
    // Own members only: "constructor", "toString" or "__proto__" are not operations.
    const op = Object.hasOwn(engine.operations, operation)
      ? engine.operations[operation]
      : undefined;
    if (!op)
      throw AppError.badRequest(
        "unknown_operation",
        `engine ${engine.type} has no operation ${operation}`,
      );
    const names = op.names?.(data) ?? [];
    const asked =
      typeof op.policyOperation === "function"
        ? op.policyOperation(data)
        : (op.policyOperation ?? operation);
    const d = decide(this.policy.list(), { identity: who, mount, operation: asked, names });
    // Committed (with the other requests of this event-loop turn) before anything runs.
    await this.audit.record({
      actor: who.username,
      action: operation,
      mount,
      target: names.join(",") || null,
      decision: d.allowed ? "allow" : "deny",
      rule: d.rule,
      ...(op.auditDetail ? { detail: op.auditDetail(data) } : {}),
    });
    if (!d.allowed)
      throw AppError.forbidden(`policy denies ${asked} on ${mount} (${d.rule})`, "policy_denied");
    return op.run({ mount, store: this.barrier.mountStore(mount), identity: who }, data);
  }

  listRules(_who: Identity): Rule[] {
    return this.policy.list();
  }

  putRule(who: Identity, rule: Rule): Rule {
    const r = this.policy.put(rule);
    this.audit.append({
      actor: who.username,
      action: "policy-put",
      target: rule.id,
      decision: "info",
    });
    return r;
  }

  deleteRule(who: Identity, id: string): void {
    this.policy.delete(id);
    this.audit.append({
      actor: who.username,
      action: "policy-delete",
      target: id,
      decision: "info",
    });
  }

  explain(_who: Identity, q: ExplainRequest): Decision {
    return decide(this.policy.list(), {
      identity: q.subject,
      mount: q.mount,
      operation: q.operation,
      names: q.names,
    });
  }

  auditLog(who: Identity, q: AuditQuery): AuditRow[] {
    if (!isAdmin(who)) throw AppError.forbidden("admin role required");
    return this.audit.list(q);
  }

  verifyAudit(_who: Identity): ReturnType<AuditLog["verify"]> {
    return this.audit.verify();
  }

  // Public CA endpoints (no identity: relying parties fetch them).

  private publicStore(mount: string, type: string) {
    if (this.barrier.isSealed()) throw sealedError();
    const { info } = this.mounts.engine(mount);
    if (info.type !== type)
      throw AppError.notFound("mount_not_found", `${mount} is not a ${type} mount`);
    return this.barrier.mountStore(mount);
  }

  private caStore(mount: string) {
    return this.publicStore(mount, "ca");
  }

  crl(mount: string, issuer: string): Promise<Buffer> {
    return buildCrl(this.caStore(mount), issuer);
  }

  ocsp(mount: string, der: Buffer): Promise<Buffer> {
    return answerOcsp(this.caStore(mount), der);
  }

  chain(mount: string, issuer: string): string {
    return chainPem(this.caStore(mount), issuer).join("");
  }

  // Public SSH CA endpoints: what sshd needs (TrustedUserCAKeys, RevokedKeys).

  sshCaPublicKey(mount: string): string {
    return `${new SshCaEngine(this.publicStore(mount, "ssh-ca")).publicKey()}\n`;
  }

  sshKrl(mount: string): Buffer {
    return new SshCaEngine(this.publicStore(mount, "ssh-ca")).krl();
  }
}
