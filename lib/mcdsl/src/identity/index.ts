// Who is calling: the result of validating an MCIAS token. Shared by http, grpc and auth so
// every transport hands handlers the same shape.

export type AccountType = "human" | "system";

export interface Identity {
  username: string;
  accountType: AccountType;
  roles: string[];
  /** The token's id (jti), for revocation and audit; never the token itself. */
  tokenId?: string;
  expiresAt?: Date;
}

/** Where a token is presented: the gRPC method ("/package.Service/Method") being called. */
export interface ValidationContext {
  method: string;
}

/**
 * Resolves a bearer token to an identity; null when the token is unknown, expired, revoked or
 * not meant for this service. `context` lets a validator apply a per-method rule (MCIAS takes
 * any of its own tokens for operations on the token itself); most validators ignore it.
 */
export interface TokenValidator {
  validate(token: string, context?: ValidationContext): Promise<Identity | null>;
}

export type Access = "public" | "authenticated" | "admin";

export const ACCESS_LEVELS: readonly Access[] = ["public", "authenticated", "admin"];

export function isAdmin(id: Identity | null | undefined): boolean {
  return Boolean(id?.roles.includes("admin"));
}

/** Guests are authenticated but restricted; an admin is never a guest. */
export function isGuest(id: Identity | null | undefined): boolean {
  return Boolean(id?.roles.includes("guest")) && !isAdmin(id);
}

/** Extracts the token from an "Authorization: Bearer <token>" header value. */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}
