// Audited account administration: every change names its actor, and every change that
// should end existing sessions (disable, delete, password reset) revokes the tokens.
import { createHash, randomBytes } from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";
import type { Core } from "../app.ts";
import { disableTotp } from "../totp/enrolment.ts";
import type { PasskeyInfo } from "../webauthn/passkeys.ts";
import type { Account, AccountType, Role } from "./accounts.ts";
import { checkPasswordStrength } from "./passwords.ts";
import { normaliseUsername } from "./usernames.ts";

export interface CreateAccountInput {
  username: string;
  /** "" (an unset protobuf field) means human. */
  type: string;
  /** Empty: a human gets "user", a system account none. */
  roles: readonly string[];
  password?: string | undefined;
}

function accountType(raw: string): AccountType {
  if (raw === "" || raw === "human") return "human";
  if (raw === "system") return "system";
  throw AppError.badRequest("invalid_request", "type must be human or system");
}

export async function createAccount(
  core: Core,
  actor: string,
  input: CreateAccountInput,
): Promise<Account> {
  const type = accountType(input.type);
  const roles = (input.roles.length === 0 && type === "human" ? ["user"] : input.roles) as Role[];
  if (input.password !== undefined) checkPasswordStrength(input.password);
  const passwordHash = input.password === undefined ? null : await core.hasher.hash(input.password);
  const account = core.accounts.create({ username: input.username, type, roles, passwordHash });
  core.audit.append({
    event: "account_created",
    outcome: "success",
    actor,
    subject: account.username,
    detail: { type: account.type, roles: account.roles },
  });
  return account;
}

export function setAccountEnabled(
  core: Core,
  actor: string,
  username: string,
  enabled: boolean,
): Account {
  const a = core.accounts.get(username);
  if (!enabled && a.username === actor)
    throw AppError.conflict("self_disable", "you cannot disable yourself");
  if (!enabled) keepAnAdmin(core, a);
  core.accounts.setStatus(a.id, enabled ? "active" : "disabled");
  const revoked = enabled ? 0 : core.tokens.revokeAll(a.id, "account_disabled");
  core.audit.append({
    event: enabled ? "account_enabled" : "account_disabled",
    outcome: "success",
    actor,
    subject: a.username,
    detail: { tokens_revoked: revoked },
  });
  return core.accounts.get(a.username);
}

export function deleteAccount(core: Core, actor: string, username: string): void {
  const a = core.accounts.get(username);
  if (a.username === actor) throw AppError.conflict("self_delete", "you cannot delete yourself");
  keepAnAdmin(core, a);
  const revoked = core.tokens.revokeAll(a.id, "account_deleted");
  core.accounts.setStatus(a.id, "deleted");
  core.audit.append({
    event: "account_deleted",
    outcome: "success",
    actor,
    subject: a.username,
    detail: { tokens_revoked: revoked },
  });
}

/** Refuses a change that would leave no active admin (a lockout only the database could undo). */
function keepAnAdmin(core: Core, losing: Account): void {
  if (!losing.roles.includes("admin") || losing.status !== "active") return;
  const others = core.accounts
    .list()
    .filter((x) => x.id !== losing.id && x.status === "active" && x.roles.includes("admin"));
  if (others.length === 0)
    throw AppError.conflict("last_admin", "this is the last active admin account");
}

export function setAccountRoles(
  core: Core,
  actor: string,
  username: string,
  roles: unknown,
): Account {
  const a = core.accounts.get(username);
  if (Array.isArray(roles) && !roles.includes("admin")) keepAnAdmin(core, a);
  const set = core.accounts.setRoles(a, roles);
  core.tokens.announceChange(a.id);
  core.audit.append({
    event: "roles_changed",
    outcome: "success",
    actor,
    subject: a.username,
    detail: { from: a.roles, to: set },
  });
  return core.accounts.get(a.username);
}

export async function resetPassword(
  core: Core,
  actor: string,
  username: string,
  password: string,
): Promise<void> {
  checkPasswordStrength(password);
  const a = core.accounts.get(username);
  core.accounts.setPasswordHash(a.id, await core.hasher.hash(password));
  const revoked = core.tokens.revokeAll(a.id, "password_reset");
  core.throttle.unlock(a.username);
  core.audit.append({
    event: "password_reset",
    outcome: "success",
    actor,
    subject: a.username,
    detail: { tokens_revoked: revoked },
  });
}

export async function changeOwnPassword(
  core: Core,
  account: Account,
  current: string,
  next: string,
  keepJti: string | undefined,
): Promise<void> {
  checkPasswordStrength(next);
  const s = core.accounts.secrets(account.username);
  if (!s?.passwordHash || !(await core.hasher.verify(s.passwordHash, String(current ?? ""))))
    throw AppError.unauthenticated("current password is wrong", "invalid_credentials");
  core.accounts.setPasswordHash(account.id, await core.hasher.hash(next));
  let revoked = 0;
  for (const t of core.tokens.listFor(account.id))
    if (t.revokedAt === null && t.jti !== keepJti && core.tokens.revoke(t.jti, "password_changed"))
      revoked++;
  core.audit.append({
    event: "password_changed",
    outcome: "success",
    actor: account.username,
    subject: account.username,
    detail: { tokens_revoked: revoked },
  });
}

/** Removes an account's second factor (TOTP secret and recovery codes). */
export function resetAccountTotp(core: Core, actor: string, username: string): Account {
  disableTotp(core, core.accounts.get(username), actor);
  return core.accounts.get(username);
}

export function listAccountPasskeys(core: Core, username: string): PasskeyInfo[] {
  return core.passkeys.list(core.accounts.get(username).id);
}

export function removeAccountPasskey(core: Core, actor: string, username: string, id: string) {
  core.passkeys.remove(core.accounts.get(username).id, id, actor);
}

export function unlockAccount(core: Core, actor: string, username: string): boolean {
  const name = normaliseUsername(username);
  const cleared = core.throttle.unlock(name);
  core.audit.append({
    event: "account_unlocked",
    outcome: "success",
    actor,
    subject: name,
    detail: { cleared },
  });
  return cleared;
}

const enrolDigest = (t: string) => createHash("sha256").update(`mcias-enrol:${t}`).digest("hex");

/** An admin-issued, single-use link token that lets the holder set the account's password. */
export function createEnrolmentLink(
  core: Core,
  actor: string,
  username: string,
  ttlS = 86_400,
): { token: string; expiresAt: number } {
  const a = core.accounts.get(username);
  const token = randomBytes(24).toString("base64url");
  const expiresAt = core.now() + ttlS * 1000;
  core.db
    .prepare(
      "INSERT INTO enrolment_links (token_hash, account_id, created_by, expires_at) VALUES (?, ?, ?, ?)",
    )
    .run(enrolDigest(token), a.id, actor, expiresAt);
  core.audit.append({
    event: "enrolment_link_created",
    outcome: "success",
    actor,
    subject: a.username,
    detail: { expires_at: expiresAt },
  });
  return { token, expiresAt };
}

export async function useEnrolmentLink(
  core: Core,
  token: string,
  password: string,
  ip: string,
): Promise<Account> {
  checkPasswordStrength(password);
  const row = core.db
    .prepare("SELECT account_id, expires_at, used_at FROM enrolment_links WHERE token_hash = ?")
    .get(enrolDigest(String(token))) as
    | { account_id: string; expires_at: number; used_at: number | null }
    | undefined;
  const a = row ? core.accounts.byId(row.account_id) : undefined;
  if (!row || !a || row.used_at !== null || row.expires_at < core.now() || a.status === "deleted")
    throw AppError.notFound(
      "enrolment_link_invalid",
      "the enrolment link is invalid, used or expired",
    );
  const hash = await core.hasher.hash(password);
  const claimed = core.db
    .prepare("UPDATE enrolment_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL")
    .run(core.now(), enrolDigest(token));
  if (claimed.changes !== 1)
    throw AppError.notFound(
      "enrolment_link_invalid",
      "the enrolment link is invalid, used or expired",
    );
  core.accounts.setPasswordHash(a.id, hash);
  core.audit.append({ event: "enrolment_link_used", outcome: "success", subject: a.username, ip });
  return a;
}
