// The [web] section of metacrypt.toml: the browser UI on the API listener (sign-in through MCIAS
// with mcdsl/sso; [sso] names the registered client). Cookies stay Secure unless turned off for
// plain-HTTP development.

import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Logger } from "@metacircular/mcdsl/log";
import { z } from "zod";

export const webSection = z.strictObject({
  enabled: z.boolean().default(true),
  /** File with at least 32 bytes of key material for the session cookies (random per start if unset). */
  session_key_file: z.string().min(1).optional(),
  secure_cookies: z.boolean().default(true),
  session_ttl_seconds: z.number().int().min(60).max(86_400).default(28_800),
});
export type WebConfig = z.infer<typeof webSection>;

/** The session keys: the configured file, or random bytes (sessions end with the process). */
export function sessionKey(web: WebConfig, log: Logger): Buffer {
  if (!web.session_key_file) {
    log.warn("no [web] session_key_file: web sessions end when metacrypt restarts");
    return randomBytes(32);
  }
  const key = readFileSync(web.session_key_file);
  if (key.length < 32)
    throw new Error(`${web.session_key_file}: a session key needs at least 32 bytes`);
  return key;
}
