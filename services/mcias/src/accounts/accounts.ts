// Account storage and lifecycle: human and system accounts, roles, disable/enable, soft
// delete and password changes. Audit and token revocation are done by the callers
// (src/auth/service.ts) so this module stays a thin, testable store.
import { randomUUID } from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";
import type { Db } from "../db/open.ts";
import { stmt } from "../db/statements.ts";
import { checkNewUsername, normaliseUsername } from "./usernames.ts";

export const ROLES = ["admin", "user", "guest"] as const;
export type Role = (typeof ROLES)[number];
export type AccountType = "human" | "system";
export type AccountStatus = "active" | "disabled" | "deleted";

export interface Account {
  id: string;
  username: string;
  type: AccountType;
  roles: Role[];
  status: AccountStatus;
  hasPassword: boolean;
  totpEnabled: boolean;
  createdAt: number;
  updatedAt: number;
}

interface AccountRow {
  id: string;
  username: string;
  type: AccountType;
  roles: string;
  password_hash: string | null;
  status: AccountStatus;
  totp_secret: string | null;
  totp_enabled: number;
  totp_last_step: number;
  created_at: number;
  updated_at: number;
}

export interface AccountSecrets {
  account: Account;
  passwordHash: string | null;
  totpSecret: string | null;
  totpLastStep: number;
}

function toAccount(r: AccountRow): Account {
  return {
    id: r.id,
    username: r.username,
    type: r.type,
    roles: JSON.parse(r.roles) as Role[],
    status: r.status,
    hasPassword: r.password_hash !== null,
    totpEnabled: r.totp_enabled === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function checkRoles(type: AccountType, roles: unknown): Role[] {
  if (!Array.isArray(roles) || roles.some((r) => !ROLES.includes(r as Role)))
    throw AppError.badRequest("invalid_role", `roles must be drawn from ${ROLES.join(", ")}`);
  const uniq = [...new Set(roles as Role[])].sort();
  if (type === "system" && uniq.length > 0)
    throw AppError.badRequest("invalid_role", "system accounts carry no roles");
  return uniq;
}

export class AccountStore {
  private readonly byIdStmt;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.byIdStmt = db.prepare("SELECT * FROM accounts WHERE id = ?");
  }

  count(): number {
    return (
      this.db.prepare("SELECT COUNT(*) AS n FROM accounts WHERE status != 'deleted'").get() as {
        n: number;
      }
    ).n;
  }

  create(input: {
    username: string;
    type: AccountType;
    roles: Role[];
    passwordHash: string | null;
  }): Account {
    const username = checkNewUsername(input.username);
    const roles = checkRoles(input.type, input.roles);
    if (this.findRow(username)) throw AppError.conflict("account_exists", "username is taken");
    const ts = this.now();
    const row: AccountRow = {
      id: randomUUID(),
      username,
      type: input.type,
      roles: JSON.stringify(roles),
      password_hash: input.passwordHash,
      status: "active",
      totp_secret: null,
      totp_enabled: 0,
      totp_last_step: 0,
      created_at: ts,
      updated_at: ts,
    };
    this.db
      .prepare(
        `INSERT INTO accounts (id, username, type, roles, password_hash, status, totp_secret,
          totp_enabled, totp_last_step, created_at, updated_at)
         VALUES (@id, @username, @type, @roles, @password_hash, @status, @totp_secret,
          @totp_enabled, @totp_last_step, @created_at, @updated_at)`,
      )
      .run(row);
    return toAccount(row);
  }

  private findRow(username: string): AccountRow | undefined {
    return stmt(this.db, "SELECT * FROM accounts WHERE username = ? AND status != 'deleted'").get(
      normaliseUsername(username),
    ) as AccountRow | undefined;
  }

  find(username: string): Account | undefined {
    const r = this.findRow(username);
    return r ? toAccount(r) : undefined;
  }

  get(username: string): Account {
    const a = this.find(username);
    if (!a) throw AppError.notFound("account_not_found", "no such account");
    return a;
  }

  byId(id: string): Account | undefined {
    const r = this.byIdStmt.get(id) as AccountRow | undefined;
    return r ? toAccount(r) : undefined;
  }

  secrets(username: string): AccountSecrets | undefined {
    const r = this.findRow(username);
    if (!r) return undefined;
    return {
      account: toAccount(r),
      passwordHash: r.password_hash,
      totpSecret: r.totp_secret,
      totpLastStep: r.totp_last_step,
    };
  }

  list(opts: { includeDeleted?: boolean } = {}): Account[] {
    const sql = opts.includeDeleted
      ? "SELECT * FROM accounts ORDER BY username"
      : "SELECT * FROM accounts WHERE status != 'deleted' ORDER BY username";
    return (this.db.prepare(sql).all() as AccountRow[]).map(toAccount);
  }

  private update(id: string, set: string, ...args: unknown[]): void {
    this.db
      .prepare(`UPDATE accounts SET ${set}, updated_at = ? WHERE id = ?`)
      .run(...args, this.now(), id);
  }

  setStatus(id: string, status: AccountStatus): void {
    if (status === "deleted")
      this.update(id, "status = 'deleted', deleted_at = ?, password_hash = NULL", this.now());
    else this.update(id, "status = ?", status);
  }

  setRoles(account: Account, roles: unknown): Role[] {
    const checked = checkRoles(account.type, roles);
    this.update(account.id, "roles = ?", JSON.stringify(checked));
    return checked;
  }

  setPasswordHash(id: string, hash: string | null): void {
    this.update(id, "password_hash = ?", hash);
  }

  setTotp(id: string, secret: string | null, enabled: boolean): void {
    this.update(
      id,
      "totp_secret = ?, totp_enabled = ?, totp_last_step = 0",
      secret,
      enabled ? 1 : 0,
    );
  }

  /** Records the last accepted TOTP step; returns false when the step was already used. */
  consumeTotpStep(id: string, step: number): boolean {
    const r = this.db
      .prepare("UPDATE accounts SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?")
      .run(step, id, step);
    return r.changes === 1;
  }
}
