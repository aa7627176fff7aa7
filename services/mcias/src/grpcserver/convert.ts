// Domain objects → protobuf messages, and the caller's full token identity.
import { create } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { AppError } from "@metacircular/mcdsl/errors";
import { type Identity, identityFrom } from "@metacircular/mcdsl/grpc";
import {
  type Account as AccountMsg,
  AccountSchema,
  PolicyRuleSchema,
  type PolicyRule as RuleMsg,
} from "@metacircular/proto/mcias/v1/types_pb";
import type { Account } from "../accounts/accounts.ts";
import type { PolicyRule } from "../policy/policy.ts";
import type { TokenIdentity } from "../tokens/tokens.ts";

export const iso = (ms: number | null): string => (ms === null ? "" : new Date(ms).toISOString());

export function accountMsg(a: Account): AccountMsg {
  return create(AccountSchema, {
    id: a.id,
    username: a.username,
    type: a.type,
    roles: a.roles,
    status: a.status,
    hasPassword: a.hasPassword,
    totpEnabled: a.totpEnabled,
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
  });
}

/** The answer of both gRPC logins (password and passkey). */
export function loginMsg(r: {
  token: string;
  jti: string;
  expiresAt: number;
  username: string;
  accountType: string;
  roles: string[];
}) {
  return {
    token: r.token,
    tokenId: r.jti,
    expiresAt: iso(r.expiresAt),
    username: r.username,
    accountType: r.accountType,
    roles: r.roles,
  };
}

export function ruleMsg(r: PolicyRule): RuleMsg {
  return create(PolicyRuleSchema, {
    id: BigInt(r.id),
    priority: r.priority,
    effect: r.effect,
    roles: r.roles,
    accountTypes: r.accountTypes,
    serviceNames: r.serviceNames,
    tags: r.tags,
    description: r.description,
  });
}

export function ruleInput(r: RuleMsg | undefined) {
  if (!r) throw AppError.badRequest("invalid_rule", "rule is required");
  return {
    priority: r.priority,
    effect: r.effect,
    roles: r.roles,
    account_types: r.accountTypes,
    service_names: r.serviceNames,
    tags: r.tags,
    description: r.description,
  };
}

/** What the MCIAS validator hands the interceptor: mcdsl's Identity plus the full token identity. */
export interface CallerIdentity extends Identity {
  token: TokenIdentity;
}

/** The caller's token identity, as the interceptor's validator accepted it (src/auth/caller.ts). */
export function caller(ctx: HandlerContext): TokenIdentity {
  const id = identityFrom(ctx) as CallerIdentity | undefined;
  if (!id?.token) throw AppError.unauthenticated("invalid or expired token", "invalid_token");
  return id.token;
}
