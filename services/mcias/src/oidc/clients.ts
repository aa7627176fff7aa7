// The registered OpenID Connect / OAuth 2 clients and client authentication (RFC 6749 §2.3):
// client_secret_basic and client_secret_post for confidential clients, `none` (client_id
// only, PKCE mandatory) for public ones. Secrets are held only as SHA-256 digests: client
// secrets are generated high-entropy strings (`mciasctl oidc secret`), not passwords, so a
// fast hash compared with timingSafeEqual is the right tool.
import { timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import type { MciasConfig } from "../config.ts";
import { MIN_SECRET_LENGTH, type OidcClient, secretDigest } from "./client-record.ts";
import type { OidcClientStore } from "./client-store.ts";
import { invalidClient, invalidRequest } from "./errors.ts";

export { MIN_SECRET_LENGTH, type OidcClient, secretDigest } from "./client-record.ts";

function loadSecret(c: MciasConfig["oidc_clients"][number], env: NodeJS.ProcessEnv): Buffer {
  if (c.client_secret_sha256) return Buffer.from(c.client_secret_sha256, "hex");
  let secret: string | undefined;
  let where: string;
  if (c.client_secret_file) {
    where = `file ${c.client_secret_file}`;
    try {
      secret = readFileSync(c.client_secret_file, "utf8").trim();
    } catch (e) {
      throw new Error(`oidc client ${c.client_id}: cannot read ${where}: ${(e as Error).message}`);
    }
  } else {
    where = `$${c.client_secret_env}`;
    secret = env[c.client_secret_env ?? ""]?.trim();
  }
  if (!secret || secret.length < MIN_SECRET_LENGTH)
    throw new Error(
      `oidc client ${c.client_id}: the secret in ${where} must be at least ${MIN_SECRET_LENGTH} characters`,
    );
  return secretDigest(secret);
}

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64. */
function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    throw invalidClient("malformed Basic credentials", true);
  }
}

export class OidcClients {
  private readonly byId = new Map<string, OidcClient>();

  constructor(
    list: MciasConfig["oidc_clients"],
    env: NodeJS.ProcessEnv = process.env,
    /** Clients registered at run time by an admin; the config file's win on a name clash. */
    private readonly store?: OidcClientStore,
  ) {
    for (const c of list) {
      if (this.byId.has(c.client_id)) throw new Error(`oidc client ${c.client_id} is duplicated`);
      this.byId.set(c.client_id, {
        id: c.client_id,
        type: c.type,
        redirectUris: c.redirect_uris,
        postLogoutRedirectUris: c.post_logout_redirect_uris,
        serviceName: c.service_name,
        scopes: c.scopes,
        ...(c.type === "confidential" ? { secretDigest: loadSecret(c, env) } : {}),
      });
    }
  }

  /** Clients from the config file (not manageable at run time). */
  configured(): OidcClient[] {
    return [...this.byId.values()];
  }

  get(id: string): OidcClient | undefined {
    return this.byId.get(id) ?? this.store?.get(id);
  }

  /**
   * Authenticates the caller of the token, introspection or revocation endpoint from the
   * Authorization header and/or the form body. Throws invalid_client (401) on any failure.
   */
  authenticate(authorization: string | undefined, form: Record<string, string>): OidcClient {
    let id: string;
    let secret: string | undefined;
    let basic = false;
    const m = authorization ? /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization) : null;
    if (authorization && !m && !/^Bearer\s/i.test(authorization))
      throw invalidClient("unsupported Authorization scheme", true);
    if (m) {
      basic = true;
      if (form.client_secret !== undefined)
        throw invalidRequest("use one client authentication method, not two");
      const raw = Buffer.from(m[1]!, "base64").toString("utf8");
      const colon = raw.indexOf(":");
      if (colon < 0) throw invalidClient("malformed Basic credentials", true);
      id = formDecode(raw.slice(0, colon));
      secret = formDecode(raw.slice(colon + 1));
      if (form.client_id !== undefined && form.client_id !== id)
        throw invalidRequest("client_id in the body differs from the authenticated client");
    } else {
      id = form.client_id ?? "";
      secret = form.client_secret;
    }
    const client = this.get(id);
    if (!client) throw invalidClient("unknown client or bad credentials", basic);
    if (client.type === "public") {
      if (secret !== undefined) throw invalidClient("a public client has no secret", basic);
      return client;
    }
    if (secret === undefined || !client.secretDigest)
      throw invalidClient("client authentication required", basic);
    const got = secretDigest(secret);
    if (!timingSafeEqual(got, client.secretDigest))
      throw invalidClient("unknown client or bad credentials", basic);
    return client;
  }
}
