// One entry point for every HTML login form MCIAS renders (SSO authorize, OIDC authorize,
// the web UI's own login). It reads the submitted fields and runs the matching first factor
// through the login pipeline. Pages differ in what they do with the result, never in how a
// user is authenticated.
import type { Core } from "../core.ts";
import { type LoginResult, passwordLogin, type ServiceContext } from "./login.ts";

/** Form fields as submitted (strings; absent fields are ""). */
export type FormFields = (name: string) => string;

export interface FormLoginContext extends ServiceContext {
  ip: string;
}

/** Human-readable messages for failures the user can fix on the form, by error code. */
export const FORM_ERRORS: Readonly<Record<string, string>> = {
  invalid_credentials: "Invalid username or password.",
  totp_required: "A TOTP code is required for this account.",
  login_denied: "You are not permitted to sign in to this service.",
  rate_limited: "Too many failed attempts; try again later.",
};

/** Authenticates a submitted login form; throws the pipeline's AppErrors on failure. */
export async function formLogin(
  core: Core,
  field: FormFields,
  ctx: FormLoginContext,
): Promise<LoginResult> {
  return passwordLogin(core, {
    username: field("username").slice(0, 256),
    password: field("password").slice(0, 1024),
    totpCode: field("totp_code").trim().slice(0, 64) || undefined,
    serviceName: ctx.serviceName,
    tags: ctx.tags,
    ip: ctx.ip,
  });
}
