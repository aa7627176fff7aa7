// The registry's own short-lived bearer tokens (JWT, EdDSA, signed with the key of
// signing-key.ts, kept across restarts): audience = the registry service name, `access` =
// exactly the granted actions.
import { type KeyObject, randomUUID } from "node:crypto";
import type { AccountType } from "@metacircular/mcdsl/identity";
import { jwtVerify, SignJWT } from "jose";
import type { Principal } from "../registry/principal.ts";
import type { Scope } from "./scope.ts";

const ISSUER = "mcr";

export interface RegistryClaims {
  principal: Principal;
  access: Scope[];
}

export interface MintedToken {
  token: string;
  expiresIn: number;
  issuedAt: Date;
}

export class RegistryTokens {
  constructor(
    private readonly keys: { privateKey: KeyObject; publicKey: KeyObject },
    private readonly audience: string,
    private readonly ttlSeconds: number,
  ) {}

  async mint(p: Principal, access: Scope[]): Promise<MintedToken> {
    const issuedAt = new Date();
    const token = await new SignJWT({
      access,
      act: p.accountType,
      roles: p.roles,
    })
      .setProtectedHeader({ alg: "EdDSA", typ: "JWT" })
      .setIssuer(ISSUER)
      .setSubject(p.username)
      .setAudience(this.audience)
      .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
      .setNotBefore(Math.floor(issuedAt.getTime() / 1000) - 5)
      .setExpirationTime(Math.floor(issuedAt.getTime() / 1000) + this.ttlSeconds)
      .setJti(randomUUID())
      .sign(this.keys.privateKey);
    return { token, expiresIn: this.ttlSeconds, issuedAt };
  }

  /** The claims of a token this registry signed for its audience; null otherwise. */
  async verify(token: string): Promise<RegistryClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.keys.publicKey, {
        issuer: ISSUER,
        audience: this.audience,
        algorithms: ["EdDSA"],
      });
      const act = payload.act === "system" ? "system" : ("human" as AccountType);
      const roles = Array.isArray(payload.roles)
        ? payload.roles.filter((r) => typeof r === "string")
        : [];
      const access = Array.isArray(payload.access) ? (payload.access as Scope[]) : [];
      if (typeof payload.sub !== "string") return null;
      return { principal: { username: payload.sub, accountType: act, roles }, access };
    } catch {
      return null;
    }
  }
}

/** Whether the token's access list grants `action` on repository `name`. */
export function grantsRepository(claims: RegistryClaims, name: string, action: string): boolean {
  return claims.access.some(
    (s) => s.type === "repository" && s.name === name && (s.actions as string[]).includes(action),
  );
}

export function grantsCatalog(claims: RegistryClaims): boolean {
  return claims.access.some((s) => s.type === "registry" && s.name === "catalog");
}
