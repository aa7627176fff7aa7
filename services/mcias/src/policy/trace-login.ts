// Decision trace (admin): what MCIAS would decide for an account logging in to a service with
// some tags, which rule decides, and why each rule before it did not match. Nothing a login
// changes is touched: no token or session, no throttle, lockout or device counter, no
// `policy_decision` event (so traces never enter dry-run replays or coverage); the trace itself
// is audited as `policy_traced`. With a password the hash is verified once (the Argon2id cost
// of one login) and the result reported as `credentials`; a wrong password is not counted as a
// failed login, so an administrator's typo cannot lock a user out. Without one, credentials are
// `not_checked`. A candidate rule set, when given, is traced instead of the live rules.
import { AppError } from "@metacircular/mcdsl/errors";
import { z } from "zod";
import type { Account } from "../accounts/accounts.ts";
import { normaliseUsername } from "../accounts/usernames.ts";
import type { Core } from "../app.ts";
import { parseCandidate } from "./candidate.ts";
import { type Effect, type PolicyRule, type Trace, trace } from "./engine.ts";

export const traceInputSchema = z.strictObject({
  username: z.string().min(1).max(128),
  password: z.string().min(1).max(1024).optional(),
  service_name: z.string().min(1).max(128),
  tags: z.array(z.string().min(1).max(128)).max(64).default([]),
  /** A candidate rule set to trace instead of the live one. */
  rules: z.unknown().optional(),
});

export type Credentials = "not_checked" | "valid" | "invalid" | "unusable";

export interface TraceResult {
  account: Account;
  credentials: Credentials;
  secondFactorRequired: boolean;
  /** The live version traced, or null for a candidate. */
  version: number | null;
  defaultEffect: Effect;
  serviceName: string;
  tags: string[];
  trace: Trace;
  /** Active account, credentials not refused, policy allows (a TOTP code may still be asked). */
  wouldLogIn: boolean;
}

function parse(input: unknown) {
  const r = traceInputSchema.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw AppError.badRequest("invalid_trace", `${i.path.join(".") || "body"}: ${i.message}`);
  }
  return r.data;
}

async function checkPassword(core: Core, username: string, password: string | undefined) {
  if (password === undefined) return "not_checked" as const;
  const s = core.accounts.secrets(username);
  if (!s || s.passwordHash === null) {
    await core.hasher.dummyVerify(password);
    return "unusable" as const;
  }
  return (await core.hasher.verify(s.passwordHash, password)) ? "valid" : "invalid";
}

export async function traceLogin(core: Core, actor: string, input: unknown): Promise<TraceResult> {
  const q = parse(input);
  const account = core.accounts.get(normaliseUsername(q.username));
  const credentials = await checkPassword(core, account.username, q.password);
  const candidate: PolicyRule[] | undefined =
    q.rules === undefined
      ? undefined
      : parseCandidate(q.rules, core.policyVersions.highestRuleId());
  const defaultEffect = core.cfg.policy.default;
  const t = trace(
    candidate ?? core.policy.list(),
    { roles: account.roles, accountType: account.type, serviceName: q.service_name, tags: q.tags },
    defaultEffect,
  );
  core.audit.append({
    event: "policy_traced",
    outcome: "info",
    actor,
    subject: account.username,
    detail: {
      service: q.service_name,
      tags: q.tags,
      effect: t.effect,
      rule: t.ruleId,
      credentials,
      candidate: candidate !== undefined,
    },
  });
  return {
    account,
    credentials,
    secondFactorRequired: account.totpEnabled,
    version: candidate ? null : core.policyVersions.current(),
    defaultEffect,
    serviceName: q.service_name,
    tags: q.tags,
    trace: t,
    wouldLogIn:
      account.status === "active" &&
      (credentials === "valid" || credentials === "not_checked") &&
      t.effect === "allow",
  };
}
