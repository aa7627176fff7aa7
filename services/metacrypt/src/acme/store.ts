// The ACME server's rows (tables acme_* of migration 2): accounts, orders, authorizations,
// challenges and issued certificates. Plain SQL; JSON columns are parsed here so the protocol
// code sees typed records.

import { randomBytes } from "node:crypto";
import { cachedStatement, type Database } from "@metacircular/mcdsl/db";
import type { Identity } from "@metacircular/mcdsl/identity";
import type { JWK } from "jose";
import type { ProblemDocument } from "./problem.ts";

export type Status = "pending" | "ready" | "processing" | "valid" | "invalid";
export type ChallengeType = "http-01" | "dns-01" | "tls-alpn-01";

export interface Account {
  id: string;
  mount: string;
  thumbprint: string;
  jwk: JWK;
  status: "valid" | "deactivated" | "revoked";
  contact: string[];
  eab_kid: string | null;
  identity: Identity;
}
export interface Order {
  id: string;
  mount: string;
  account_id: string;
  status: Status;
  identifiers: string[];
  profile: string;
  replaces: string | null;
  expires: string;
  error: ProblemDocument | null;
  cert_id: string | null;
}
export interface Authz {
  id: string;
  order_id: string;
  account_id: string;
  value: string;
  wildcard: boolean;
  status: Status | "deactivated" | "expired" | "revoked";
  expires: string;
}

/** A pending or valid authorization past its `expires` is "expired" (RFC 8555 §7.1.6). */
export const authzStatus = (a: Authz, now: number): Authz["status"] =>
  (a.status === "pending" || a.status === "valid") && Date.parse(a.expires) < now
    ? "expired"
    : a.status;

export interface Challenge {
  id: string;
  authz_id: string;
  type: ChallengeType;
  token: string;
  status: Status;
  validated: string | null;
  error: ProblemDocument | null;
}
export interface IssuedCert {
  id: string;
  mount: string;
  serial: string;
  account_id: string;
  order_id: string;
  cert_id: string;
  chain_pem: string;
  not_before: string;
  not_after: string;
  replaced_by: string | null;
}

export const newId = (): string => randomBytes(16).toString("base64url");

type Row = Record<string, unknown>;
const json = <T>(v: unknown): T => JSON.parse(v as string) as T;
const maybeJson = <T>(v: unknown): T | null => (v == null ? null : json<T>(v));

/**
 * Who an ACME account acts as: the binding's MCIAS user or system account, without the admin
 * role (an ACME key must never carry policy's admin bypass, so what it may issue is what the
 * policy rules grant that name) and without the token that made the binding. Applied when rows
 * are read, so bindings stored before this rule follow it too.
 */
export const acmeActor = (id: Identity): Identity => ({
  username: id.username,
  accountType: id.accountType,
  roles: id.roles.filter((r) => r !== "admin"),
});

const toAccount = (r: Row): Account => ({
  ...(r as unknown as Account),
  jwk: json(r.jwk),
  contact: json(r.contact),
  identity: acmeActor(json(r.identity)),
});
const toOrder = (r: Row): Order => ({
  ...(r as unknown as Order),
  identifiers: json(r.identifiers),
  error: maybeJson(r.error),
});
const toAuthz = (r: Row): Authz => ({ ...(r as unknown as Authz), wildcard: r.wildcard === 1 });
const toChallenge = (r: Row): Challenge => ({
  ...(r as unknown as Challenge),
  error: maybeJson(r.error),
});

export class AcmeStore {
  constructor(readonly db: Database) {}

  private get(sql: string, ...args: unknown[]): Row | undefined {
    return cachedStatement(this.db, sql).get(...args) as Row | undefined;
  }
  private all(sql: string, ...args: unknown[]): Row[] {
    return cachedStatement(this.db, sql).all(...args) as Row[];
  }
  private run(sql: string, ...args: unknown[]): number {
    return cachedStatement(this.db, sql).run(...args).changes;
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // Accounts

  insertAccount(a: Account): void {
    this.run(
      `INSERT INTO acme_accounts (id, mount, thumbprint, jwk, status, contact, eab_kid, identity, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      a.id,
      a.mount,
      a.thumbprint,
      JSON.stringify(a.jwk),
      a.status,
      JSON.stringify(a.contact),
      a.eab_kid,
      JSON.stringify(a.identity),
      new Date().toISOString(),
    );
  }
  account(mount: string, id: string): Account | undefined {
    const r = this.get("SELECT * FROM acme_accounts WHERE mount = ? AND id = ?", mount, id);
    return r && toAccount(r);
  }
  accountByThumbprint(mount: string, thumbprint: string): Account | undefined {
    const r = this.get(
      "SELECT * FROM acme_accounts WHERE mount = ? AND thumbprint = ?",
      mount,
      thumbprint,
    );
    return r && toAccount(r);
  }
  updateAccount(a: Pick<Account, "id" | "status" | "contact">): void {
    this.run(
      "UPDATE acme_accounts SET status = ?, contact = ? WHERE id = ?",
      a.status,
      JSON.stringify(a.contact),
      a.id,
    );
  }
  changeAccountKey(id: string, jwk: JWK, thumbprint: string): void {
    this.run(
      "UPDATE acme_accounts SET jwk = ?, thumbprint = ? WHERE id = ?",
      JSON.stringify(jwk),
      thumbprint,
      id,
    );
  }

  // External account binding keys (the MAC key itself is in the barrier)

  insertEab(kid: string, mount: string, identity: Identity): void {
    this.run(
      "INSERT INTO acme_eab (kid, mount, identity, created_at) VALUES (?, ?, ?, ?)",
      kid,
      mount,
      JSON.stringify(acmeActor(identity)),
      new Date().toISOString(),
    );
  }
  eab(mount: string, kid: string): { identity: Identity; account_id: string | null } | undefined {
    const r = this.get("SELECT * FROM acme_eab WHERE mount = ? AND kid = ?", mount, kid);
    return (
      r && { identity: acmeActor(json(r.identity)), account_id: (r.account_id as string) ?? null }
    );
  }
  bindEab(kid: string, accountId: string): boolean {
    return (
      this.run(
        "UPDATE acme_eab SET account_id = ? WHERE kid = ? AND account_id IS NULL",
        accountId,
        kid,
      ) === 1
    );
  }

  // Orders, authorizations, challenges

  insertOrder(o: Order): void {
    this.run(
      `INSERT INTO acme_orders (id, mount, account_id, status, identifiers, profile, replaces, expires, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      o.id,
      o.mount,
      o.account_id,
      o.status,
      JSON.stringify(o.identifiers),
      o.profile,
      o.replaces,
      o.expires,
      new Date().toISOString(),
    );
  }
  order(mount: string, id: string): Order | undefined {
    const r = this.get("SELECT * FROM acme_orders WHERE mount = ? AND id = ?", mount, id);
    return r && toOrder(r);
  }
  ordersOf(accountId: string): string[] {
    return this.all(
      "SELECT id FROM acme_orders WHERE account_id = ? ORDER BY created_at LIMIT 1000",
      accountId,
    ).map((r) => r.id as string);
  }
  setOrder(id: string, status: Status, error: ProblemDocument | null, certId?: string): void {
    this.run(
      "UPDATE acme_orders SET status = ?, error = ?, cert_id = coalesce(?, cert_id) WHERE id = ?",
      status,
      error && JSON.stringify(error),
      certId ?? null,
      id,
    );
  }
  /** pending → ready (with no error); an order in any other state is left as it is. */
  readyIfPending(id: string): void {
    this.run(
      "UPDATE acme_orders SET status = 'ready', error = NULL WHERE id = ? AND status = 'pending'",
      id,
    );
  }
  insertAuthz(a: Authz): void {
    this.run(
      "INSERT INTO acme_authz (id, order_id, account_id, value, wildcard, status, expires) VALUES (?, ?, ?, ?, ?, ?, ?)",
      a.id,
      a.order_id,
      a.account_id,
      a.value,
      a.wildcard ? 1 : 0,
      a.status,
      a.expires,
    );
  }
  authz(id: string): Authz | undefined {
    const r = this.get("SELECT * FROM acme_authz WHERE id = ?", id);
    return r && toAuthz(r);
  }
  /** Links an authorization (new or reused) to an order, in the order's identifier order. */
  linkAuthz(orderId: string, authzId: string, position: number): void {
    this.run(
      "INSERT INTO acme_order_authz (order_id, authz_id, position) VALUES (?, ?, ?)",
      orderId,
      authzId,
      position,
    );
  }
  authzOf(orderId: string): Authz[] {
    return this.all(
      `SELECT a.* FROM acme_order_authz l JOIN acme_authz a ON a.id = l.authz_id
       WHERE l.order_id = ? ORDER BY l.position`,
      orderId,
    ).map(toAuthz);
  }
  /** The orders an authorization serves. */
  ordersOfAuthz(authzId: string): string[] {
    return this.all("SELECT order_id FROM acme_order_authz WHERE authz_id = ?", authzId).map(
      (r) => r.order_id as string,
    );
  }
  /**
   * A valid authorization of this account for this identifier on this mount that is still
   * valid after `until` (ISO time), the one lasting longest; undefined when there is none.
   */
  reusableAuthz(
    mount: string,
    accountId: string,
    value: string,
    wildcard: boolean,
    until: string,
  ): Authz | undefined {
    const r = this.get(
      `SELECT a.* FROM acme_authz a JOIN acme_orders o ON o.id = a.order_id
       WHERE a.account_id = ? AND a.value = ? AND a.wildcard = ? AND a.status = 'valid'
         AND a.expires > ? AND o.mount = ?
       ORDER BY a.expires DESC LIMIT 1`,
      accountId,
      value,
      wildcard ? 1 : 0,
      until,
      mount,
    );
    return r && toAuthz(r);
  }
  setAuthz(id: string, status: Authz["status"], expires?: string): void {
    this.run(
      "UPDATE acme_authz SET status = ?, expires = coalesce(?, expires) WHERE id = ?",
      status,
      expires ?? null,
      id,
    );
  }
  insertChallenge(c: Challenge): void {
    this.run(
      "INSERT INTO acme_challenges (id, authz_id, type, token, status) VALUES (?, ?, ?, ?, ?)",
      c.id,
      c.authz_id,
      c.type,
      c.token,
      c.status,
    );
  }
  challenge(id: string): Challenge | undefined {
    const r = this.get("SELECT * FROM acme_challenges WHERE id = ?", id);
    return r && toChallenge(r);
  }
  challengesOf(authzId: string): Challenge[] {
    return this.all("SELECT * FROM acme_challenges WHERE authz_id = ? ORDER BY rowid", authzId).map(
      toChallenge,
    );
  }
  setChallenge(id: string, status: Status, error: ProblemDocument | null): void {
    this.run(
      "UPDATE acme_challenges SET status = ?, error = ?, validated = ? WHERE id = ?",
      status,
      error && JSON.stringify(error),
      status === "valid" ? new Date().toISOString() : null,
      id,
    );
  }

  // Certificates issued through ACME

  insertCert(c: IssuedCert): void {
    this.run(
      `INSERT INTO acme_certs (id, mount, serial, account_id, order_id, cert_id, chain_pem, not_before, not_after)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      c.id,
      c.mount,
      c.serial,
      c.account_id,
      c.order_id,
      c.cert_id,
      c.chain_pem,
      c.not_before,
      c.not_after,
    );
  }
  cert(mount: string, id: string): IssuedCert | undefined {
    return this.get("SELECT * FROM acme_certs WHERE mount = ? AND id = ?", mount, id) as
      | IssuedCert
      | undefined;
  }
  certBySerial(mount: string, serial: string): IssuedCert | undefined {
    return this.get("SELECT * FROM acme_certs WHERE mount = ? AND serial = ?", mount, serial) as
      | IssuedCert
      | undefined;
  }
  certByCertId(mount: string, certId: string): IssuedCert | undefined {
    return this.get("SELECT * FROM acme_certs WHERE mount = ? AND cert_id = ?", mount, certId) as
      | IssuedCert
      | undefined;
  }
  markReplaced(id: string, orderId: string): void {
    this.run("UPDATE acme_certs SET replaced_by = ? WHERE id = ?", orderId, id);
  }
}
