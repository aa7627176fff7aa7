// mcq.toml schema. Environment overrides: MCQ_<SECTION>_<KEY>; $PORT → server.listen_addr.
// MCQ serves plain HTTP behind an MC-Proxy L7 route unless [server] tls_cert/tls_key are set;
// its cookies stay Secure by default because the browser sees HTTPS at the proxy.

import {
  databaseSection,
  loadConfig,
  logSection,
  mciasSection,
  serverSection,
  ssoSection,
} from "@metacircular/mcdsl/config";
import { z } from "zod";

/** Who may push: human users (not guests), system accounts; admins always may. */
export const pusherKind = z.enum(["user", "system"]);

export const documentsSection = z.strictObject({
  pushers: z.array(pusherKind).default(["user", "system"]),
  /** Largest markdown body accepted, in bytes. */
  max_bytes: z
    .number()
    .int()
    .min(1024)
    .max(8 * 1024 * 1024)
    .default(1024 * 1024),
  /** Bodies above this many characters are highlighted with highlight.js instead of Shiki. */
  huge_bytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(256 * 1024),
});

export const webSection = z.strictObject({
  enabled: z.boolean().default(true),
  /** File with at least 32 bytes of key material for the session cookies (random per start if unset). */
  session_key_file: z.string().min(1).optional(),
  /** Secure cookies (default true: behind MC-Proxy the browser sees HTTPS). */
  secure_cookies: z.boolean().default(true),
  session_ttl_seconds: z.number().int().min(60).max(2_592_000).default(86_400),
});

export const mcpSection = z.strictObject({
  /** Model Context Protocol over Streamable HTTP at /mcp (stdio is `mcq mcp`). */
  http: z.boolean().default(true),
});

export const configSchema = z.strictObject({
  server: serverSection,
  database: databaseSection,
  log: logSection.default({ level: "info" }),
  mcias: mciasSection,
  sso: ssoSection.default({}),
  web: webSection.default(webSection.parse({})),
  documents: documentsSection.default(documentsSection.parse({})),
  mcp: mcpSection.default(mcpSection.parse({})),
});

export type McqConfig = z.infer<typeof configSchema>;

export function loadMcqConfig(path: string, env: NodeJS.ProcessEnv = process.env): McqConfig {
  return loadConfig(configSchema, {
    path,
    envPrefix: "MCQ",
    env,
    ports: { default: "server.listen_addr" },
  });
}
