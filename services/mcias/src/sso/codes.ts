// Single-use SSO authorization codes. A code is 32 random bytes; only its SHA-256 is kept, in
// memory (codes live 60 s, so a restart merely fails the few flows in flight), bound to the
// client, the exact redirect URI and the PKCE S256 challenge. The token issued at login is held
// until the exchange and dropped with the code, so it never reaches the disk.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";

export const CODE_TTL_MS = 60_000;

export interface PendingGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  token: string;
  expiresAt: number;
  tokenExpiresAt: number;
}

export interface Exchange {
  clientId: string;
  code: string;
  redirectUri: string;
  codeVerifier: string;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest();

function invalidGrant(message: string): AppError {
  return AppError.badRequest("invalid_grant", message);
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** base64url(SHA-256(verifier)), the S256 PKCE transform (RFC 7636). */
export function s256(verifier: string): string {
  return sha256(verifier).toString("base64url");
}

export class SsoCodeStore {
  private readonly grants = new Map<string, PendingGrant>();

  constructor(private readonly now: () => number) {}

  issue(grant: Omit<PendingGrant, "expiresAt">): string {
    this.prune();
    const code = randomBytes(32).toString("base64url");
    this.grants.set(sha256(code).toString("hex"), {
      ...grant,
      expiresAt: this.now() + CODE_TTL_MS,
    });
    return code;
  }

  /** Consumes the code (whatever the outcome, so a failed attempt cannot be retried). */
  redeem(x: Exchange): PendingGrant {
    const key = sha256(x.code).toString("hex");
    const g = this.grants.get(key);
    this.grants.delete(key);
    if (!g) throw invalidGrant("unknown, used or expired code");
    if (g.expiresAt <= this.now()) throw invalidGrant("unknown, used or expired code");
    if (g.clientId !== x.clientId) throw invalidGrant("code was issued to another client");
    if (g.redirectUri !== x.redirectUri) throw invalidGrant("redirect_uri does not match");
    if (!sameBytes(Buffer.from(s256(x.codeVerifier)), Buffer.from(g.codeChallenge)))
      throw invalidGrant("code_verifier does not match the challenge");
    return g;
  }

  private prune(): void {
    const now = this.now();
    for (const [k, g] of this.grants) if (g.expiresAt <= now) this.grants.delete(k);
  }
}
