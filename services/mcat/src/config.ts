// mcat.toml schema. Environment overrides: MCAT_<SECTION>_<KEY>; $PORT → server.listen_addr.
// MCAT keeps no data of its own: every policy fact lives in MCIAS, which MCAT reaches over its
// policy tools on behalf of the signed-in administrator ([mcias] admin_token_file). Plain HTTP behind an MC-Proxy
// L7 route unless [server] tls_cert/tls_key are set; cookies stay Secure by default because the
// browser sees HTTPS at the proxy.
import {
  loadConfig,
  logSection,
  mciasSection,
  serverSection,
  ssoSection,
} from "@metacircular/mcdsl/config";
import { z } from "zod";

export const mcatMciasSection = mciasSection.extend({
  /**
   * File holding the MCIAS token (audience "mcias") of MCAT's system account, which MCIAS lists
   * in [policy] tool_accounts. MCAT presents it with the signed-in administrator's own token;
   * alone it can do nothing (MCIAS: src/auth/delegation.ts).
   */
  admin_token_file: z.string().min(1),
});

export const webSection = z.strictObject({
  /** File with at least 32 bytes of key material for the session cookies (random per start if unset). */
  session_key_file: z.string().min(1).optional(),
  /** Secure cookies (default true: behind MC-Proxy the browser sees HTTPS). */
  secure_cookies: z.boolean().default(true),
  session_ttl_seconds: z.number().int().min(60).max(86_400).default(28_800),
});

export const configSchema = z.strictObject({
  server: serverSection,
  log: logSection.default({ level: "info" }),
  mcias: mcatMciasSection,
  sso: ssoSection.default({}),
  web: webSection.default(webSection.parse({})),
});

export type McatConfig = z.infer<typeof configSchema>;

export function loadMcatConfig(path: string, env: NodeJS.ProcessEnv = process.env): McatConfig {
  return loadConfig(configSchema, {
    path,
    envPrefix: "MCAT",
    env,
    ports: { default: "server.listen_addr" },
  });
}
