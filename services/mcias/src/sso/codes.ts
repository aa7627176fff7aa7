// Single-use authorization codes, shared by the SSO profile (/sso/*) and the OpenID Connect
// provider (/oauth2/*). A code is 32 random bytes; only its SHA-256 is kept, in memory (codes
// live 60 s, so a restart merely fails the few flows in flight), bound to the client, the exact
// redirect URI and, when one was sent, the PKCE S256 challenge. Whatever the outcome, redeeming
// consumes the code; a consumed code is remembered for a while so that a second redemption is
// recognised as reuse (RFC 6749 §4.1.2) and the tokens issued from it can be revoked.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";

export const CODE_TTL_MS = 60_000;
/** How long a consumed code is remembered for reuse detection. */
export const REUSE_MEMORY_MS = 10 * CODE_TTL_MS;

export interface CodeBinding {
  clientId: string;
  redirectUri: string;
  /** S256 challenge; undefined when the (confidential) client sent none. */
  codeChallenge?: string | undefined;
}

export interface Exchange {
  clientId: string;
  code: string;
  redirectUri: string;
  codeVerifier?: string | undefined;
}

/** What an SSO code stands for: the login token issued when the user signed in. */
export interface SsoGrant extends CodeBinding {
  codeChallenge: string;
  token: string;
  tokenExpiresAt: number;
  jti?: string;
}

export type PendingGrant = SsoGrant & { expiresAt: number };

const sha256 = (s: string) => createHash("sha256").update(s).digest();

function invalidGrant(message: string): AppError {
  return AppError.badRequest("invalid_grant", message);
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** RFC 7636 §4.1: 43-128 characters of the unreserved set. */
export const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** base64url(SHA-256(verifier)), the S256 PKCE transform (RFC 7636). */
export function s256(verifier: string): string {
  return sha256(verifier).toString("base64url");
}

export class CodeStore<G extends CodeBinding> {
  private readonly grants = new Map<string, G & { expiresAt: number }>();
  private readonly consumed = new Map<string, { grant: G; forgetAt: number }>();

  constructor(
    private readonly now: () => number,
    /** Called when a consumed code is presented again: revoke what it produced. */
    private readonly onReuse: (grant: G) => void = () => {},
  ) {}

  issue(grant: G): string {
    this.prune();
    const code = randomBytes(32).toString("base64url");
    this.grants.set(sha256(code).toString("hex"), {
      ...grant,
      expiresAt: this.now() + CODE_TTL_MS,
    });
    return code;
  }

  /** Consumes the code (whatever the outcome, so a failed attempt cannot be retried). */
  redeem(x: Exchange): G & { expiresAt: number } {
    const key = sha256(x.code).toString("hex");
    const g = this.grants.get(key);
    if (!g) {
      const used = this.consumed.get(key);
      if (used) {
        this.consumed.delete(key);
        this.onReuse(used.grant);
        throw invalidGrant("authorization code was already used; its tokens are revoked");
      }
      throw invalidGrant("unknown, used or expired code");
    }
    this.grants.delete(key);
    this.consumed.set(key, { grant: g, forgetAt: this.now() + REUSE_MEMORY_MS });
    if (g.expiresAt <= this.now()) throw invalidGrant("unknown, used or expired code");
    if (g.clientId !== x.clientId) throw invalidGrant("code was issued to another client");
    if (g.redirectUri !== x.redirectUri) throw invalidGrant("redirect_uri does not match");
    if (g.codeChallenge === undefined) {
      if (x.codeVerifier !== undefined)
        throw invalidGrant("code_verifier sent but no code_challenge was");
    } else if (x.codeVerifier === undefined || !CODE_VERIFIER.test(x.codeVerifier)) {
      throw invalidGrant("code_verifier must be 43-128 unreserved characters (RFC 7636 §4.1)");
    } else if (!sameBytes(Buffer.from(s256(x.codeVerifier)), Buffer.from(g.codeChallenge))) {
      throw invalidGrant("code_verifier does not match the challenge");
    }
    return g;
  }

  private prune(): void {
    const now = this.now();
    for (const [k, g] of this.grants) if (g.expiresAt <= now) this.grants.delete(k);
    for (const [k, u] of this.consumed) if (u.forgetAt <= now) this.consumed.delete(k);
  }
}

/** The SSO profile's store: PKCE is mandatory there. */
export class SsoCodeStore extends CodeStore<SsoGrant> {}
