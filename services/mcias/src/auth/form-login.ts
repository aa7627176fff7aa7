// One entry point for every HTML login form MCIAS renders (SSO authorize, OIDC authorize,
// the web UI's own login). It reads the submitted fields and runs the matching first factor
// through the login pipeline. Pages differ in what they do with the result, never in how a
// user is authenticated.
//
// Password forms send `username`, `password` and optionally `totp_code`. A form whose
// `passkey_response` is filled (by /static/webauthn.js: the assertion JSON, with the
// `passkey_challenge` id from POST /v1/auth/passkey/login/begin) is a passkey login instead:
// the assertion counts as both factors and the password throttle is not involved.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Core } from "../app.ts";
import {
  finishLogin,
  type LoginResult,
  passwordLogin,
  renewDevice,
  type ServiceContext,
} from "./login.ts";

/** Form fields as submitted (strings; absent fields are ""). */
export type FormFields = (name: string) => string;

export interface FormLoginContext extends ServiceContext {
  ip: string;
  /** The browser's device token (the mcias_device cookie), if it sent one. */
  deviceToken?: string | undefined;
}

/** Human-readable messages for failures the user can fix on the form, by error code. */
export const FORM_ERRORS: Readonly<Record<string, string>> = {
  invalid_credentials: "Invalid username or password.",
  totp_required: "A TOTP code is required for this account.",
  login_denied: "You are not permitted to sign in to this service.",
  rate_limited: "Too many failed attempts; try again later.",
  passkey_challenge_invalid: "The passkey request expired or was already used; try again.",
  passkey_invalid_response: "The browser sent an unreadable passkey response; try again.",
  passkey_origin_mismatch: "This page is not allowed to use passkeys for this site.",
  passkey_rp_id_mismatch: "That passkey belongs to another site.",
  passkey_user_verification_required: "Your authenticator must verify you (PIN or biometric).",
  passkey_unknown_credential: "That passkey is not registered with this account service.",
  passkey_signature_invalid: "The passkey could not be verified.",
  passkey_counter_regressed: "The passkey was refused (possible copied authenticator).",
};

/** A refused login the form shows again: its status, the user's message, any Retry-After. */
export interface FormRefusal {
  status: 401 | 403 | 429;
  error: string;
  retryAfter: number | undefined;
}

/** How a login page shows `e`, or undefined when it is no refusal the user can fix (rethrow). */
export function formRefusal(e: unknown): FormRefusal | undefined {
  const error = e instanceof AppError ? FORM_ERRORS[e.code] : undefined;
  if (!(e instanceof AppError) || !error) return undefined;
  const status = e.status === 429 ? 429 : e.status === 403 ? 403 : 401;
  return { status, error, retryAfter: e.retryAfter };
}

/** Upper bound of the assertion JSON a form may carry (real ones are well under 4 KiB). */
const MAX_PASSKEY_RESPONSE = 16 * 1024;

/** Authenticates a submitted login form; throws the pipeline's AppErrors on failure. */
export async function formLogin(
  core: Core,
  field: FormFields,
  ctx: FormLoginContext,
): Promise<LoginResult> {
  const assertion = field("passkey_response");
  if (assertion !== "") return passkeyFormLogin(core, field("passkey_challenge"), assertion, ctx);
  return passwordLogin(core, {
    username: field("username").slice(0, 256),
    password: field("password").slice(0, 1024),
    totpCode: field("totp_code").trim().slice(0, 64) || undefined,
    serviceName: ctx.serviceName,
    tags: ctx.tags,
    ip: ctx.ip,
    deviceToken: ctx.deviceToken,
  });
}

async function passkeyFormLogin(
  core: Core,
  challengeId: string,
  assertion: string,
  ctx: FormLoginContext,
): Promise<LoginResult> {
  let response: unknown;
  try {
    if (assertion.length > MAX_PASSKEY_RESPONSE) throw new Error("too large");
    response = JSON.parse(assertion);
  } catch {
    throw AppError.badRequest("passkey_invalid_response", "passkey_response is not JSON");
  }
  const account = await core.passkeys.finishLogin(challengeId.slice(0, 128), response, ctx.ip);
  const res = finishLogin(
    core,
    account,
    { serviceName: ctx.serviceName, tags: ctx.tags },
    { verified: true, method: "passkey" },
    ctx.ip,
  );
  return { ...res, deviceToken: renewDevice(core, account, ctx.deviceToken) };
}
