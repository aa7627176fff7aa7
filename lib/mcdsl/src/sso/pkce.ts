// PKCE (RFC 7636, S256) and the random `state` of an authorization request.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export interface PkcePair {
  verifier: string;
  challenge: string;
}

/** A 43-character base64url verifier (32 random bytes) and its S256 challenge. */
export function newPkce(): PkcePair {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export function newState(): string {
  return randomBytes(24).toString("base64url");
}

export function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
