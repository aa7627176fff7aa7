// Small helpers shared by the UI handlers: form fields, user-facing error messages for
// domain failures, and the fixed notices shown after a redirect (?done=<key>).
import { AppError } from "@metacircular/mcdsl/errors";
import type { Context } from "hono";
import type { Env } from "../server/router.ts";
import type { TokenIdentity } from "../tokens/tokens.ts";

export interface Form {
  str(name: string, max?: number): string;
  all(name: string): string[];
}

export async function readForm(c: Context): Promise<Form> {
  const body = await c.req.parseBody({ all: true });
  const values = (name: string): string[] => {
    const v = body[name];
    const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
    return list.filter((x): x is string => typeof x === "string");
  };
  return {
    str: (name, max = 1024) => (values(name)[0] ?? "").slice(0, max),
    all: (name) => values(name).map((x) => x.slice(0, 256)),
  };
}

/** A domain failure the user can act on (4xx AppError) → its message; anything else rethrows. */
export function failure(e: unknown): {
  status: 400 | 401 | 403 | 404 | 409 | 429;
  message: string;
  code: string;
} {
  if (!(e instanceof AppError) || e.status >= 500) throw e;
  const status = ([400, 401, 403, 404, 409, 429] as const).find((s) => s === e.status) ?? 400;
  return { status, message: e.message, code: e.code };
}

/** Which form field a domain error code is about (to mark that field), if any. */
const FIELD_OF_CODE: Readonly<Record<string, string>> = {
  invalid_username: "username",
  reserved_username: "username",
  account_exists: "username",
  weak_password: "password",
  invalid_password: "password",
  invalid_role: "roles",
};

/** The field errors for a refused form: the failure's message on the field it is about. */
export function fieldErrors(
  f: { code: string; message: string },
  fields: Readonly<Record<string, string>> = FIELD_OF_CODE,
): Record<string, string> {
  const field = fields[f.code];
  return field ? { [field]: f.message } : {};
}

const NOTICES: Readonly<Record<string, string>> = {
  password_changed: "Your password was changed. Other sessions were signed out.",
  totp_disabled: "TOTP was disabled.",
  session_revoked: "The session was revoked.",
  account_created: "The account was created.",
  account_disabled: "The account was disabled; its tokens were revoked.",
  account_enabled: "The account was enabled.",
  account_deleted: "The account was deleted.",
  roles_changed: "The roles were changed.",
  password_reset: "The password was reset; the account's tokens were revoked.",
  unlocked: "Failed-login counters were cleared.",
  totp_reset: "The account's TOTP was removed.",
  token_revoked: "The token was revoked.",
  policy_created: "The rule was created.",
  policy_updated: "The rule was saved.",
  policy_deleted: "The rule was deleted.",
  passkey_added: "The passkey was added.",
  passkey_removed: "The passkey was removed.",
  signed_out: "You are signed out.",
  enrolled: "Your password is set. You can sign in now.",
};

export function notice(c: Context): string | undefined {
  const key = c.req.query("done");
  return key ? NOTICES[key] : undefined;
}

/** The page basics every handler needs. */
export function ctx(c: Context<Env>): { me: TokenIdentity; csrf: string } {
  return { me: c.get("caller")!, csrf: c.get("csrfToken") ?? "" };
}
