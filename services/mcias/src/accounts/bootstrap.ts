// First start with an empty database: create the first admin from a one-time value (config
// or MCIAS_BOOTSTRAP_ADMIN_PASSWORD), or generate one and print it once. There is no default
// password. The same first start seeds one policy rule so that admins can log in even with
// the recommended default of deny.
import { randomBytes } from "node:crypto";
import type { Core } from "../app.ts";
import { createAccount } from "./admin.ts";

export interface BootstrapResult {
  username: string;
  /** Set only when the password was generated here and must be shown to the operator once. */
  generatedPassword?: string;
}

export async function bootstrap(
  core: Core,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BootstrapResult | null> {
  if (core.accounts.count() > 0) return null;
  const given = core.cfg.bootstrap.admin_password ?? env.MCIAS_BOOTSTRAP_ADMIN_PASSWORD;
  const password = given ?? randomBytes(18).toString("base64url");
  const account = await createAccount(core, "bootstrap", {
    username: core.cfg.bootstrap.admin_username,
    type: "human",
    roles: ["admin"],
    password,
  });
  if (core.policy.list().length === 0) {
    const rule = core.policy.create({
      priority: 1000,
      effect: "allow",
      roles: ["admin"],
      description: "bootstrap: admins may log in everywhere",
    });
    core.audit.append({
      event: "policy_created",
      outcome: "success",
      actor: "bootstrap",
      detail: { rule: rule.id },
    });
  }
  return given
    ? { username: account.username }
    : { username: account.username, generatedPassword: password };
}
