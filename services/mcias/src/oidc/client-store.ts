// OIDC clients registered at run time by an admin (REST / mciasctl), next to the ones in the
// config file. The secret is generated here, returned once, and stored as its SHA-256 only.
import { randomBytes } from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";
import { z } from "zod";
import type { Db } from "../db/open.ts";
import { SUPPORTED_SCOPES } from "./claims.ts";
import { type OidcClient, secretDigest } from "./client-record.ts";

export const newClientSchema = z
  .object({
    client_id: z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/, "must be 1-128 URL-safe characters"),
    type: z.enum(["confidential", "public"]).default("confidential"),
    redirect_uris: z.array(z.string().url().max(2048)).min(1).max(20),
    post_logout_redirect_uris: z.array(z.string().url().max(2048)).max(20).default([]),
    service_name: z.string().min(1).max(128),
    scopes: z
      .array(z.enum(SUPPORTED_SCOPES as [string, ...string[]]))
      .default(["openid", "profile", "roles", "offline_access"]),
  })
  .strict();
export type NewClient = z.infer<typeof newClientSchema>;

interface Row {
  client_id: string;
  type: "confidential" | "public";
  secret_sha256: string | null;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  service_name: string;
  scopes: string;
  created_by: string;
  created_at: number;
}

export interface StoredClient extends OidcClient {
  createdBy: string;
  createdAt: number;
}

const fromRow = (r: Row): StoredClient => ({
  id: r.client_id,
  type: r.type,
  redirectUris: JSON.parse(r.redirect_uris) as string[],
  postLogoutRedirectUris: JSON.parse(r.post_logout_redirect_uris) as string[],
  serviceName: r.service_name,
  scopes: JSON.parse(r.scopes) as string[],
  ...(r.secret_sha256 ? { secretDigest: Buffer.from(r.secret_sha256, "hex") } : {}),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export class OidcClientStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  get(id: string): StoredClient | undefined {
    const r = this.db.prepare("SELECT * FROM oidc_clients WHERE client_id = ?").get(id) as
      | Row
      | undefined;
    return r ? fromRow(r) : undefined;
  }

  list(): StoredClient[] {
    return (this.db.prepare("SELECT * FROM oidc_clients ORDER BY client_id").all() as Row[]).map(
      fromRow,
    );
  }

  /** Registers a client; returns it and, for a confidential one, its secret (shown once). */
  create(c: NewClient, actor: string): { client: StoredClient; secret?: string } {
    if (this.get(c.client_id))
      throw AppError.conflict("client_exists", `client ${c.client_id} already exists`);
    const secret = c.type === "confidential" ? randomBytes(32).toString("base64url") : undefined;
    this.db
      .prepare(
        "INSERT INTO oidc_clients (client_id, type, secret_sha256, redirect_uris, post_logout_redirect_uris, service_name, scopes, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(
        c.client_id,
        c.type,
        secret ? secretDigest(secret).toString("hex") : null,
        JSON.stringify(c.redirect_uris),
        JSON.stringify(c.post_logout_redirect_uris),
        c.service_name,
        JSON.stringify([...new Set(c.scopes)]),
        actor,
        this.now(),
      );
    const client = this.get(c.client_id)!;
    return secret ? { client, secret } : { client };
  }

  delete(id: string): boolean {
    return this.db.prepare("DELETE FROM oidc_clients WHERE client_id = ?").run(id).changes > 0;
  }
}
