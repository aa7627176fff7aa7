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

/** Leave one core to the event loop so token validation stays fast during a password spray. */
const DEFAULT_ARGON2_CONCURRENCY = Math.max(1, availableParallelism() - 1);

const argon2Section = z
  .object({
    memory_kib: z.number().int().min(1024).default(19456),
    time_cost: z.number().int().min(1).default(2),
    parallelism: z.number().int().min(1).default(1),
    max_concurrent: z.number().int().min(1).default(DEFAULT_ARGON2_CONCURRENCY),
    max_queue: z.number().int().min(0).default(32),
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
      .object({ default: z.enum(["allow", "deny"]).default("deny") })
      .strict()
      .default({ default: "deny" }),
    protection: z
      .object({
        free_failures: z.number().int().min(0).default(5),
        base_delay_s: z.number().min(0).default(1),
        max_delay_s: z.number().min(0).default(900),
        ip_failures_per_min: z.number().int().min(1).default(20),
      })
      .strict()
      .default({ free_failures: 5, base_delay_s: 1, max_delay_s: 900, ip_failures_per_min: 20 }),
    sso_clients: z.array(ssoClient).default([]),
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
