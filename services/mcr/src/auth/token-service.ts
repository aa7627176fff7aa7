// The token endpoint's use case: authenticate the caller against MCIAS (username + password, or
// an MCIAS token for this service as the password: system accounts and CI), evaluate the policy
// for every requested scope and mint a registry token limited to what was granted.
import { createHash } from "node:crypto";
import type { AuthClient } from "@metacircular/mcdsl/auth";
import { AppError } from "@metacircular/mcdsl/errors";
import type { Logger } from "@metacircular/mcdsl/log";
import { OciError } from "../oci/errors.ts";
import { isRepositoryName } from "../oci/names.ts";
import type { PolicyStore } from "../policy/policy-store.ts";
import type { AuditLog } from "../registry/audit.ts";
import type { Principal } from "../registry/principal.ts";
import type { MintedToken, RegistryTokens } from "./registry-token.ts";
import type { Scope } from "./scope.ts";

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** A password login is remembered this long, so a push's several token requests log in once. */
const LOGIN_CACHE_MS = 60_000;

export interface TokenServiceDeps {
  mcias: Pick<AuthClient, "login" | "validate" | "logout">;
  policy: PolicyStore;
  tokens: RegistryTokens;
  audit: AuditLog;
  logger: Logger;
}

export const unauthorized = (message: string) => new OciError(401, "UNAUTHORIZED", message);

export class TokenService {
  private readonly logins = new Map<string, { who: Principal; until: number }>();

  constructor(private readonly d: TokenServiceDeps) {}

  /** The MCIAS principal behind a username and a password or MCIAS token; 401 otherwise. */
  async authenticate(username: string, secret: string): Promise<Principal> {
    if (!username || !secret) throw unauthorized("credentials required");
    if (JWT_SHAPE.test(secret)) {
      const id = await this.mcias(() => this.d.mcias.validate(secret));
      if (id && id.username === username) return id;
      throw unauthorized("invalid MCIAS token for this registry");
    }
    const key = createHash("sha256").update(`${username}\0${secret}`).digest("hex");
    const hit = this.logins.get(key);
    if (hit && hit.until > Date.now()) return hit.who;
    const login = await this.mcias(() => this.d.mcias.login(username, secret));
    const id = await this.mcias(() => this.d.mcias.validate(login.token));
    void this.d.mcias.logout(login.token).catch(() => undefined);
    if (!id) throw unauthorized("authentication failed");
    for (const [k, v] of this.logins) if (v.until <= Date.now()) this.logins.delete(k);
    this.logins.set(key, { who: id, until: Date.now() + LOGIN_CACHE_MS });
    return id;
  }

  private async mcias<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof AppError && err.status >= 400 && err.status < 500 && err.status !== 429)
        throw unauthorized("authentication failed");
      this.d.logger.warn(
        { err: (err as Error).message },
        "MCIAS unavailable for the token endpoint",
      );
      throw new OciError(503, "UNAUTHORIZED", "the identity service is unavailable");
    }
  }

  /** The granted subset of the requested scopes; 403 DENIED when repositories were asked for and none granted. */
  grant(who: Principal, requested: Scope[]): Scope[] {
    const granted: Scope[] = [];
    let askedRepo = false;
    for (const s of requested) {
      if (s.type === "registry") {
        granted.push(s);
        continue;
      }
      askedRepo = true;
      if (!isRepositoryName(s.name)) continue;
      const actions = s.actions.filter((a) => this.d.policy.allows(who, s.name, a));
      if (actions.length > 0) granted.push({ type: "repository", name: s.name, actions });
    }
    if (askedRepo && !granted.some((s) => s.type === "repository")) {
      this.d.audit.record(who, "token_denied", requested[0]?.name, undefined, {
        scopes: requested.map((s) => `${s.type}:${s.name}:${s.actions.join(",")}`),
      });
      throw new OciError(403, "DENIED", "requested access to the resource is denied");
    }
    return granted;
  }

  async issue(username: string, secret: string, requested: Scope[]): Promise<MintedToken> {
    const who = await this.authenticate(username, secret);
    return this.d.tokens.mint(who, this.grant(who, requested));
  }
}
