// One registered OpenID Connect / OAuth 2 client as the provider sees it, and the digest its
// secret is kept as. Shared by the config-file clients (clients.ts) and the run-time store
// (client-store.ts).
import { createHash } from "node:crypto";

export const MIN_SECRET_LENGTH = 32;

export interface OidcClient {
  id: string;
  type: "confidential" | "public";
  redirectUris: string[];
  /** Where RP-initiated logout may return the browser (exact match). */
  postLogoutRedirectUris: string[];
  serviceName: string;
  scopes: string[];
  secretDigest?: Buffer;
}

export const secretDigest = (secret: string) => createHash("sha256").update(secret).digest();
