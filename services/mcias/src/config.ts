// The MCIAS TOML configuration: a strict zod schema loaded with mcdsl/config
// (MCIAS_<SECTION>_<KEY> environment overrides, $PORT and $PORT_GRPC).

import { availableParallelism } from "node:os";
import {
  databaseSection,
  loadConfig as loadWithMcdsl,
  logSection,
  serverSection,
} from "@metacircular/mcdsl/config";
import { z } from "zod";
import { WEBAUTHN_DEFAULTS, webauthnSection } from "./webauthn/config.ts";

/** Leave one core to the event loop so token validation stays fast during a password spray. */
const DEFAULT_ARGON2_CONCURRENCY = Math.max(1, availableParallelism() - 1);

const argon2Section = z
  .object({
    memory_kib: z.number().int().min(1024).default(19456),
    time_cost: z.number().int().min(1).default(2),
    parallelism: z.number().int().min(1).default(1),
    max_concurrent: z.number().int().min(1).default(DEFAULT_ARGON2_CONCURRENCY),
    max_queue: z.number().int().min(0).default(32),
    /** CPU priority (nice, 0-19) of the hashing threads; higher yields to token validation. */
    nice: z.number().int().min(0).max(19).default(10),
  })
  .strict();

/** A platform service allowed to use the SSO authorization-code flow (exact redirect URI). */
const ssoClient = z
  .object({
    client_id: z.string().min(1).max(128),
    redirect_uri: z.string().url().max(2048),
    service_name: z.string().min(1).max(128),
  })
  .strict();

const OIDC_SCOPES = ["openid", "profile", "roles", "offline_access"] as const;

/**
 * An OpenID Connect / OAuth 2 client. Confidential clients authenticate with a secret given as
 * exactly one of: its SHA-256 (hex, from `mciasctl oidc secret`), a file, or an environment
 * variable; public clients have none and must use PKCE S256.
 */
const oidcClient = z
  .object({
    client_id: z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/, "must be 1-128 URL-safe characters"),
    type: z.enum(["confidential", "public"]).default("confidential"),
    client_secret_sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits")
      .optional(),
    client_secret_file: z.string().min(1).optional(),
    client_secret_env: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .optional(),
    redirect_uris: z.array(z.string().url().max(2048)).min(1),
    /** Where RP-initiated logout may send the browser back to (exact match). */
    post_logout_redirect_uris: z.array(z.string().url().max(2048)).default([]),
    service_name: z.string().min(1).max(128),
    scopes: z.array(z.enum(OIDC_SCOPES)).default(["openid", "profile", "roles", "offline_access"]),
  })
  .strict()
  .superRefine((c, ctx) => {
    const n = [c.client_secret_sha256, c.client_secret_file, c.client_secret_env].filter(
      (v) => v !== undefined,
    ).length;
    if (c.type === "confidential" && n !== 1)
      ctx.addIssue({
        code: "custom",
        message: "a confidential client needs exactly one of client_secret_sha256/_file/_env",
      });
    if (c.type === "public" && n !== 0)
      ctx.addIssue({ code: "custom", message: "a public client has no client secret" });
  });

export const configSchema = z
  .object({
    server: serverSection,
    database: databaseSection,
    log: logSection.default({ level: "info" }),
    /** Peers whose X-Forwarded-For is believed (e.g. a local MC-Proxy); empty = trust none. */
    trusted_proxies: z.array(z.string()).default([]),
    argon2: argon2Section.default({
      memory_kib: 19456,
      time_cost: 2,
      parallelism: 1,
      max_concurrent: DEFAULT_ARGON2_CONCURRENCY,
      max_queue: 32,
      nice: 10,
    }),
    tokens: z
      .object({
        issuer: z.string().default("mcias"),
        login_ttl_s: z.number().int().min(60).default(3600),
        system_ttl_days: z.number().int().min(1).default(365),
      })
      .strict()
      .default({ issuer: "mcias", login_ttl_s: 3600, system_ttl_days: 365 }),
    policy: z
      .object({
        default: z.enum(["allow", "deny"]).default("deny"),
        // Service names and tags policy lint treats as known besides those seen in recorded
        // logins (a rule for a service nobody has signed in to yet is not dead).
        known_services: z.array(z.string().min(1).max(128)).default([]),
        known_tags: z.array(z.string().min(1).max(128)).default([]),
        // System accounts (e.g. "mcat") that may call the policy tools for an administrator
        // signed in to them (src/auth/delegation.ts). Empty: only administrators themselves.
        tool_accounts: z.array(z.string().min(1).max(128)).default([]),
      })
      .strict()
      .default({ default: "deny", known_services: [], known_tags: [], tool_accounts: [] }),
    protection: z
      .object({
        free_failures: z.number().int().min(0).default(5),
        base_delay_s: z.number().min(0).default(1),
        max_delay_s: z.number().min(0).default(900),
        ip_failures_per_min: z.number().int().min(1).default(20),
        /** Known devices (device tokens): failures before the device is locked... */
        device_failures: z.number().int().min(1).default(5),
        /** ...within this window, and for how long it then stays locked. */
        device_lock_s: z.number().int().min(1).default(900),
        /** Lifetime of a device token; each successful login issues a fresh one. */
        device_ttl_days: z.number().int().min(1).max(3650).default(90),
      })
      .strict()
      .default({
        free_failures: 5,
        base_delay_s: 1,
        max_delay_s: 900,
        ip_failures_per_min: 20,
        device_failures: 5,
        device_lock_s: 900,
        device_ttl_days: 90,
      }),
    /**
     * Browser sessions (the web UI's and the OIDC provider's): renewed while in use, never beyond
     * max_s after the sign-in. idle_s is the lifetime of an OIDC browser-session token, so an
     * unused OIDC session ends after at most idle_s (the web UI's lives tokens.login_ttl_s).
     */
    browser_sessions: z
      .object({
        idle_s: z.number().int().min(60).default(1800),
        max_s: z.number().int().min(300).default(36_000),
      })
      .strict()
      .default({ idle_s: 1800, max_s: 36_000 }),
    sso_clients: z.array(ssoClient).default([]),
    /** The OpenID Connect provider: issuer = MCIAS's public base URL as clients reach it. */
    oidc: z
      .object({
        issuer: z
          .string()
          .url()
          .refine((u) => {
            const x = new URL(u);
            const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(x.hostname);
            return (x.protocol === "https:" || (x.protocol === "http:" && loopback)) && !x.search;
          }, "must be an https URL without query (http only for loopback)")
          .optional(),
        id_token_ttl_s: z.number().int().min(60).max(86_400).default(3600),
        refresh_ttl_s: z
          .number()
          .int()
          .min(300)
          .default(30 * 86_400),
      })
      .strict()
      .default({ id_token_ttl_s: 3600, refresh_ttl_s: 30 * 86_400 }),
    oidc_clients: z.array(oidcClient).default([]),
    /** Passkeys (WebAuthn): relying party id/name and the allowed origins. */
    webauthn: webauthnSection.default(WEBAUTHN_DEFAULTS),
    bootstrap: z
      .object({
        admin_username: z.string().default("admin"),
        admin_password: z.string().min(12).optional(),
      })
      .strict()
      .default({ admin_username: "admin" }),
  })
  .strict();

export type MciasConfig = z.infer<typeof configSchema>;
export type Argon2Config = MciasConfig["argon2"];

export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): MciasConfig {
  return loadWithMcdsl(configSchema, { path, envPrefix: "MCIAS", env });
}
