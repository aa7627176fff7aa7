// MCAT's one use-case module: each action is one call to MCIAS's policy tools (trace, dry run,
// lint, apply, versions, rollback) made with MCAT's system token, on behalf of the administrator
// signed in to MCAT (their token travels in X-Mcias-On-Behalf-Of; MCIAS checks it is an admin's
// token for MCAT, and records that administrator as the actor). Errors are MCIAS's own
// (AppError with its stable code), so the UI shows what MCIAS said.
import { existsSync, readFileSync } from "node:fs";
import { JsonClient } from "@metacircular/mcdsl/auth";
import { AppError } from "@metacircular/mcdsl/errors";
import type {
  DryRunAnswer,
  LintAnswer,
  LiveRules,
  PolicyVersion,
  TraceAnswer,
  VersionList,
} from "./types.ts";

export interface TraceQuery {
  username: string;
  password?: string | undefined;
  service_name: string;
  tags: string[];
}

/** The administrator MCAT acts for: their MCAT token. */
export interface Acting {
  token: string;
}

export interface PolicyAdminOptions {
  mciasUrl: string;
  caCert?: string | undefined;
  /** File with MCAT's system token for MCIAS (re-read on every call: rotate it in place). */
  tokenFile: string;
}

export const ON_BEHALF_HEADER = "x-mcias-on-behalf-of";

export class PolicyAdmin {
  private readonly client: JsonClient;

  constructor(private readonly o: PolicyAdminOptions) {
    this.client = new JsonClient(o.mciasUrl, o.caCert);
  }

  private async call<T>(u: Acting, method: string, path: string, body?: unknown): Promise<T> {
    if (!existsSync(this.o.tokenFile))
      throw AppError.unavailable(`MCAT's MCIAS token file ${this.o.tokenFile} is missing`);
    const token = readFileSync(this.o.tokenFile, "utf8").trim();
    return (await this.client.call(method, path, {
      token,
      headers: { [ON_BEHALF_HEADER]: u.token },
      timeoutMs: 30_000,
      ...(body === undefined ? {} : { body }),
    })) as T;
  }

  live(u: Acting): Promise<LiveRules> {
    return this.call(u, "GET", "/v1/policies");
  }

  trace(u: Acting, q: TraceQuery): Promise<TraceAnswer> {
    return this.call(u, "POST", "/v1/policy/trace", q);
  }

  dryRun(u: Acting, rules: unknown, limit: number): Promise<DryRunAnswer> {
    return this.call(u, "POST", "/v1/policy/dry-run", { rules, limit });
  }

  lint(u: Acting, rules?: unknown): Promise<LintAnswer> {
    return rules === undefined
      ? this.call(u, "GET", "/v1/policy/lint")
      : this.call(u, "POST", "/v1/policy/lint", { rules });
  }

  apply(u: Acting, rules: unknown, comment: string, baseVersion: number): Promise<PolicyVersion> {
    return this.call(u, "POST", "/v1/policy/apply", {
      rules,
      comment: `via MCAT${comment.trim() ? `: ${comment.trim()}` : ""}`.slice(0, 500),
      base_version: baseVersion,
    });
  }

  versions(u: Acting): Promise<VersionList> {
    return this.call(u, "GET", "/v1/policy/versions");
  }

  version(u: Acting, v: number): Promise<PolicyVersion> {
    return this.call(u, "GET", `/v1/policy/versions/${v}`);
  }

  rollback(u: Acting, v: number): Promise<PolicyVersion> {
    return this.call(u, "POST", `/v1/policy/versions/${v}/rollback`, { comment: "via MCAT" });
  }

  close(): void {
    this.client.close();
  }
}
