// The login pipeline. A login is: throttle check → first factor → second factor →
// login policy for the named service context → token. `finishLogin` is the shared tail that
// other first factors (passkeys, SSO) call with their own SecondFactorResult.
//
// The throttle stage has two doors (protection/devices.ts): a caller that presents a device
// token valid for the named account meets only that device's limit; everyone else meets the
// per-account and per-address limits. A successful password login returns a fresh device token.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Account } from "../accounts/accounts.ts";
import { normaliseUsername } from "../accounts/usernames.ts";
import type { Core } from "../app.ts";
import { evaluate } from "../policy/engine.ts";
import type { KnownDevice } from "../protection/devices.ts";
import type { IssuedToken } from "../tokens/tokens.ts";
import { verifySecondFactor } from "../totp/enrolment.ts";
import type { SecondFactorResult } from "./second-factor.ts";

export type { SecondFactorResult } from "./second-factor.ts";

export interface ServiceContext {
  serviceName: string;
  tags: string[];
}

export interface LoginRequest extends ServiceContext {
  username: string;
  password: string;
  totpCode?: string | undefined;
  ip: string;
  /** The device token the client kept from an earlier sign-in, if any. */
  deviceToken?: string | undefined;
}

/**
 * Outcome of the second-factor stage. `verified` must be true for accounts that have a
 * second factor enrolled; a passkey assertion counts as both factors.
 */

export interface LoginResult extends IssuedToken {
  username: string;
  accountType: Account["type"];
  roles: Account["roles"];
  /** A fresh device token for this account (password and passkey logins). */
  deviceToken?: string;
}

export const DEFAULT_SERVICE = "mcias";

function invalidCredentials(): AppError {
  return AppError.unauthenticated("invalid username or password", "invalid_credentials");
}

export async function passwordLogin(core: Core, req: LoginRequest): Promise<LoginResult> {
  const name = normaliseUsername(String(req.username ?? ""));
  const audit = { subject: name, ip: req.ip };
  const device = core.devices.recognise(req.deviceToken, name);
  const { wait, release } = device ? core.devices.begin(device) : core.throttle.begin(name, req.ip);
  if (wait > 0) {
    core.audit.append({
      event: "login_throttled",
      outcome: "denied",
      ...audit,
      detail: { retry_after: wait, ...(device ? { device: device.id } : {}) },
    });
    throw AppError.tooManyRequests(wait, "too many failed logins, retry later");
  }

  try {
    return await verifyAndFinish(core, req, name, audit, device);
  } finally {
    release();
  }
}

async function verifyAndFinish(
  core: Core,
  req: LoginRequest,
  name: string,
  audit: { subject: string; ip: string },
  device: KnownDevice | undefined,
): Promise<LoginResult> {
  const fail = (reason: string): never => {
    if (device) core.devices.recordFailure(device);
    else core.throttle.recordFailure(name, req.ip);
    core.audit.append({
      event: "login_failure",
      outcome: "failure",
      ...audit,
      detail: { reason, service: req.serviceName, ...(device ? { device: device.id } : {}) },
    });
    throw invalidCredentials();
  };

  const s = core.accounts.secrets(name);
  if (!s || s.passwordHash === null || s.account.status !== "active") {
    await core.hasher.dummyVerify(req.password);
    return fail(s ? "account_unusable" : "unknown_user");
  }
  if (!(await core.hasher.verify(s.passwordHash, req.password))) return fail("bad_password");

  let second: SecondFactorResult = { verified: false, method: "none" };
  if (s.account.totpEnabled) {
    if (!req.totpCode) {
      core.audit.append({ event: "login_second_factor_required", outcome: "info", ...audit });
      throw AppError.unauthenticated("a TOTP code is required", "totp_required");
    }
    second = verifySecondFactor(core, s, req.totpCode);
    if (!second.verified) return fail("bad_second_factor");
  }

  if (core.hasher.needsRehash(s.passwordHash)) {
    try {
      core.accounts.setPasswordHash(s.account.id, await core.hasher.hash(req.password));
      core.audit.append({ event: "password_rehashed", outcome: "info", ...audit });
    } catch {
      // The pool is full: keep the old hash and upgrade at a later login.
    }
  }
  // Right credentials through the unknown-client door reopen it; a known device's success
  // leaves it as it is, so an ongoing spray does not win fresh free guesses from the owner.
  if (!device) core.throttle.recordSuccess(name);
  const res = finishLogin(core, s.account, req, second, req.ip);
  return { ...res, deviceToken: core.devices.issue(s.account.id, device) };
}

/**
 * A fresh device token after a sign-in by another first factor (passkey), retiring the token
 * the client presented when it belongs to the same account.
 */
export function renewDevice(core: Core, account: Account, presented: string | undefined): string {
  return core.devices.issue(account.id, core.devices.recognise(presented, account.username));
}

/**
 * Evaluates the login policy for an account in a service context and audits the decision with
 * the rule that made it. Every path that hands out a token for a service goes through here.
 */
export function decideLoginPolicy(
  core: Core,
  account: Account,
  ctx: ServiceContext,
  ip: string | undefined,
  extra: Record<string, unknown> = {},
): ReturnType<typeof evaluate> {
  const decision = evaluate(
    core.policy.list(),
    {
      roles: account.roles,
      accountType: account.type,
      serviceName: ctx.serviceName,
      tags: ctx.tags,
    },
    core.cfg.policy.default,
  );
  core.audit.append({
    event: "policy_decision",
    outcome: decision.effect === "allow" ? "success" : "denied",
    subject: account.username,
    ...(ip === undefined ? {} : { ip }),
    detail: {
      service: ctx.serviceName,
      tags: ctx.tags,
      rule: decision.ruleId,
      effect: decision.effect,
      // The whole login context, so that dry runs replay it as it was (policy/recorded-logins.ts).
      roles: account.roles,
      account_type: account.type,
      policy_version: core.policyVersions.current(),
      ...extra,
    },
  });
  return decision;
}

/** Policy decision, audit and token issuance for an account whose factors were checked. */
export function finishLogin(
  core: Core,
  account: Account,
  ctx: ServiceContext,
  second: SecondFactorResult,
  ip: string,
): LoginResult {
  if (account.status !== "active") throw invalidCredentials();
  if (account.totpEnabled && !second.verified)
    throw AppError.unauthenticated("a second factor is required", "totp_required");
  const decision = decideLoginPolicy(core, account, ctx, ip);
  if (decision.effect === "deny") {
    throw AppError.forbidden(
      `login to ${ctx.serviceName} is not permitted by policy`,
      "login_denied",
    );
  }
  const issued = core.tokens.issue(
    account,
    "login",
    ctx.serviceName,
    core.cfg.tokens.login_ttl_s * 1000,
  );
  core.audit.append({
    event: "login_success",
    outcome: "success",
    subject: account.username,
    ip,
    detail: { service: ctx.serviceName, method: second.method, jti: issued.jti },
  });
  return { ...issued, username: account.username, accountType: account.type, roles: account.roles };
}
