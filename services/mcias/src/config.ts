// The MCIAS TOML configuration: a strict zod schema plus a small loader that applies
// MCIAS_<SECTION>_<KEY> environment overrides and $PORT / $PORT_GRPC.
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { z } from "zod";

const argon2Section = z
  .object({
    memory_kib: z.number().int().min(1024).default(19456),
    time_cost: z.number().int().min(1).default(2),
    parallelism: z.number().int().min(1).default(1),
    max_concurrent: z.number().int().min(1).default(4),
    max_queue: z.number().int().min(0).default(32),
  })
  .strict();

export const configSchema = z
  .object({
    server: z
      .object({
        listen_addr: z.string().default("127.0.0.1:8443"),
        grpc_addr: z.string().optional(),
        tls_cert: z.string().optional(),
        tls_key: z.string().optional(),
        shutdown_timeout_ms: z.number().int().min(0).default(5000),
        trusted_proxies: z.array(z.string()).default([]),
      })
      .strict(),
    database: z.object({ path: z.string() }).strict(),
    log: z
      .object({ level: z.enum(["trace", "debug", "info", "warn", "error"]).default("info") })
      .strict()
      .default({ level: "info" }),
    argon2: argon2Section.default({
      memory_kib: 19456,
      time_cost: 2,
      parallelism: 1,
      max_concurrent: 4,
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

export class ConfigError extends Error {
  override name = "ConfigError";
}

function coerce(raw: string): unknown {
  if (raw === "true") return true;
  if (raw === "false") return false;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (raw.startsWith("[")) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

/** Applies MCIAS_<SECTION>_<KEY> overrides for sections and keys the schema knows. */
function applyEnv(doc: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  for (const [section, sectionSchema] of Object.entries(configSchema.shape)) {
    const inner = (sectionSchema as z.ZodTypeAny).unwrap?.() ?? sectionSchema;
    const shape = (inner as z.ZodObject).shape as Record<string, unknown> | undefined;
    if (!shape) continue;
    for (const key of Object.keys(shape)) {
      const v = env[`MCIAS_${section.toUpperCase()}_${key.toUpperCase()}`];
      if (v === undefined) continue;
      const sec = (doc[section] ??= {}) as Record<string, unknown>;
      sec[key] = coerce(v);
    }
  }
  const server = (doc.server ??= {}) as Record<string, unknown>;
  if (env.PORT) server.listen_addr = env.PORT.includes(":") ? env.PORT : `127.0.0.1:${env.PORT}`;
  if (env.PORT_GRPC)
    server.grpc_addr = env.PORT_GRPC.includes(":") ? env.PORT_GRPC : `127.0.0.1:${env.PORT_GRPC}`;
}

export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): MciasConfig {
  let doc: Record<string, unknown>;
  try {
    doc = parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`${path}: ${(err as Error).message}`);
  }
  applyEnv(doc, env);
  const r = configSchema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ConfigError(`${path}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return r.data;
}
