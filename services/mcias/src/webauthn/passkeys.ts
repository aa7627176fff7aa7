// PasskeyService: WebAuthn registration and login for MCIAS accounts. It verifies ceremonies
// and keeps credentials; it issues no tokens. Login callers pass the returned account to
// finishLogin(core, account, ctx, {verified: true, method: "passkey"}, ip) (src/auth/login.ts),
// which applies the login policy and issues the token. Every registration, removal, login and
// failure is audited.
import { createHmac, randomBytes } from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import type { Account, AccountStore } from "../accounts/accounts.ts";
import { normaliseUsername } from "../accounts/usernames.ts";
import type { AuditLog } from "../audit/audit-log.ts";
import { requireRecentAuth } from "../auth/recent-auth.ts";
import type { Db } from "../db/open.ts";
import { asAssertion, userHandleFor, verifyAssertion } from "./assertion.ts";
import { passkeyError } from "./ceremony.ts";
import { ChallengeStore } from "./challenges.ts";
import { expectedOrigins, type WebauthnConfig } from "./config.ts";
import { type RelyingParty, verifyRegistration } from "./registration.ts";
import { type PasskeyInfo, PasskeyStore, passkeyInfo } from "./store.ts";

export type { PasskeyInfo };

export const MAX_PASSKEYS_PER_ACCOUNT = 20;
const CEREMONY_TIMEOUT_MS = 120_000;

export interface PasskeyDeps {
  db: Db;
  accounts: AccountStore;
  audit: AuditLog;
  webauthn: WebauthnConfig;
  now?: () => number;
}

export class PasskeyService {
  readonly store: PasskeyStore;
  private readonly challenges: ChallengeStore;
  private readonly rp: RelyingParty;
  /** Keys the stand-in credential ids answered for names without passkeys. */
  private readonly decoyKey = randomBytes(32);

  private readonly now: () => number;

  constructor(private readonly d: PasskeyDeps) {
    const now = d.now ?? Date.now;
    this.now = now;
    this.store = new PasskeyStore(d.db, now);
    this.challenges = new ChallengeStore(now);
    this.rp = { rpId: d.webauthn.rp_id, origins: expectedOrigins(d.webauthn) };
  }

  /**
   * Starts adding a passkey. `authTime` is when the caller last really authenticated (the
   * token identity's authTime, kept across renewals); it must be within
   * `registration_max_auth_age_s`, so a stolen session cannot plant a lasting credential.
   */
  async beginRegistration(
    account: Account,
    authTime: number,
  ): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
    requireRecentAuth({ authTime }, this.d.webauthn.registration_max_auth_age_s, this.now());
    if (account.status !== "active" || account.type !== "human")
      throw AppError.forbidden(
        "only active human accounts can register passkeys",
        "passkey_not_allowed",
      );
    const existing = this.store.listFor(account.id);
    if (existing.length >= MAX_PASSKEYS_PER_ACCOUNT)
      throw AppError.conflict(
        "passkey_limit",
        `at most ${MAX_PASSKEYS_PER_ACCOUNT} passkeys per account`,
      );
    const options = await generateRegistrationOptions({
      rpName: this.d.webauthn.rp_name,
      rpID: this.rp.rpId,
      userName: account.username,
      userDisplayName: account.username,
      userID: new Uint8Array(Buffer.from(account.id, "utf8")),
      attestationType: "none",
      timeout: CEREMONY_TIMEOUT_MS,
      excludeCredentials: existing.map((p) => ({ id: p.credentialId })),
      authenticatorSelection: { residentKey: "required", userVerification: "required" },
    });
    const challengeId = this.challenges.put("register", options.challenge, account.id);
    return { challengeId, options };
  }

  async finishRegistration(
    account: Account,
    challengeId: string,
    response: unknown,
    name: string,
  ): Promise<PasskeyInfo> {
    const label = String(name ?? "").trim() || "passkey";
    const audit = { actor: account.username, subject: account.username };
    try {
      if (label.length > 64)
        throw AppError.badRequest("invalid_request", "name: at most 64 characters");
      const pending = this.challenges.take(challengeId, "register", account.id);
      const cred = await verifyRegistration(response, pending.challenge, this.rp);
      if (this.store.byCredentialId(cred.credentialId))
        throw AppError.conflict("passkey_exists", "this passkey is already registered");
      if (this.store.countFor(account.id) >= MAX_PASSKEYS_PER_ACCOUNT)
        throw AppError.conflict(
          "passkey_limit",
          `at most ${MAX_PASSKEYS_PER_ACCOUNT} passkeys per account`,
        );
      const p = this.store.insert({ ...cred, accountId: account.id, name: label });
      this.d.audit.append({
        event: "passkey_registered",
        outcome: "success",
        ...audit,
        detail: { passkey: p.id, name: p.name },
      });
      return passkeyInfo(p);
    } catch (e) {
      this.d.audit.append({
        event: "passkey_registration_failure",
        outcome: "failure",
        ...audit,
        detail: { reason: e instanceof AppError ? e.code : "internal" },
      });
      throw e;
    }
  }

  list(accountId: string): PasskeyInfo[] {
    return this.store.listFor(accountId).map(passkeyInfo);
  }

  /** Removes one of the account's passkeys; `actor` (default: the owner) is audited. */
  remove(accountId: string, passkeyId: string, actor?: string): void {
    const p = this.store.byId(passkeyId);
    if (!p || p.accountId !== accountId || !this.store.delete(accountId, passkeyId))
      throw AppError.notFound("passkey_not_found", "no such passkey for this account");
    const owner = this.d.accounts.byId(accountId)?.username ?? accountId;
    this.d.audit.append({
      event: "passkey_removed",
      outcome: "success",
      actor: actor ?? owner,
      subject: owner,
      detail: { passkey: p.id, name: p.name },
    });
  }

  /**
   * Starts a login. Without a username the browser offers any discoverable credential for the
   * RP (passwordless, username-less). With one, the options list that account's credentials;
   * a name without passkeys gets a stable stand-in id so the answer reveals nothing.
   */
  async beginLogin(
    username?: string,
  ): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
    let bound: string | null = null;
    let allow: { id: string }[] = [];
    if (username !== undefined && username !== "") {
      const name = normaliseUsername(String(username).slice(0, 256));
      const a = this.d.accounts.find(name);
      const creds = a?.status === "active" ? this.store.listFor(a.id) : [];
      bound = a && creds.length > 0 ? a.id : `-${name}`;
      allow =
        creds.length > 0
          ? creds.map((p) => ({ id: p.credentialId }))
          : [{ id: createHmac("sha256", this.decoyKey).update(name).digest("base64url") }];
    }
    const options = await generateAuthenticationOptions({
      rpID: this.rp.rpId,
      allowCredentials: allow,
      userVerification: "required",
      timeout: CEREMONY_TIMEOUT_MS,
    });
    return { challengeId: this.challenges.put("login", options.challenge, bound), options };
  }

  /** Verifies an assertion and returns the account it proves; issues nothing. */
  async finishLogin(challengeId: string, response: unknown, ip?: string): Promise<Account> {
    let subject: string | undefined;
    try {
      const pending = this.challenges.take(challengeId, "login");
      const r = asAssertion(response);
      const pk = this.store.byCredentialId(r.id);
      if (!pk || (pending.accountId !== null && pk.accountId !== pending.accountId))
        throw passkeyError.unknownCredential();
      const account = this.d.accounts.byId(pk.accountId);
      subject = account?.username;
      const counter = await verifyAssertion(r, pending.challenge, this.rp, pk);
      if (!this.store.recordUse(pk.id, pk.counter, counter)) throw passkeyError.counter();
      if (account?.status !== "active")
        throw AppError.unauthenticated("invalid username or password", "invalid_credentials");
      this.d.audit.append({
        event: "passkey_login",
        outcome: "success",
        subject: account.username,
        ...(ip ? { ip } : {}),
        detail: { passkey: pk.id },
      });
      return account;
    } catch (e) {
      const reason = e instanceof AppError ? e.code : "internal";
      this.d.audit.append({
        event:
          reason === "passkey_counter_regressed"
            ? "passkey_clone_suspected"
            : "passkey_login_failure",
        outcome: "failure",
        ...(subject ? { subject } : {}),
        ...(ip ? { ip } : {}),
        detail: { reason },
      });
      throw e;
    }
  }
}

export { userHandleFor };
