// The [webauthn] config section: the relying party (RP ID and display name) and the exact
// origins a browser may report in a ceremony. With no origins configured the only accepted
// origin is https://<rp_id>.
import { z } from "zod";

function originAllowed(origin: string, rpId: string): boolean {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (u.origin !== origin) return false;
  const host = u.hostname;
  if (host !== rpId && !host.endsWith(`.${rpId}`)) return false;
  // WebAuthn needs a secure context: https, or http on localhost.
  return u.protocol === "https:" || (u.protocol === "http:" && host === "localhost");
}

export const webauthnSection = z
  .object({
    /** Registrable domain the credentials are scoped to (the MCIAS host or a parent domain). */
    rp_id: z
      .string()
      .min(1)
      .max(253)
      .regex(/^[a-z0-9.-]+$/, "must be a lower-case host name")
      .default("localhost"),
    /** Name shown by authenticators when a passkey is created. */
    rp_name: z.string().min(1).max(64).default("MCIAS"),
    /** Exact origins (scheme://host[:port]) pages doing ceremonies are served from. */
    origins: z.array(z.string().max(2048)).max(32).default([]),
    /**
     * Adding a passkey needs a recent sign-in (seconds since the user last authenticated;
     * renewals do not count), so a stolen session token cannot plant a lasting credential.
     */
    registration_max_auth_age_s: z.number().int().min(1).max(86_400).default(600),
  })
  .strict()
  .superRefine((v, ctx) => {
    for (const [i, o] of v.origins.entries())
      if (!originAllowed(o, v.rp_id))
        ctx.addIssue({
          code: "custom",
          path: ["origins", i],
          message: `origin ${o} is not https (or http://localhost) on ${v.rp_id} or a subdomain`,
        });
  });

export type WebauthnConfig = z.infer<typeof webauthnSection>;

export const WEBAUTHN_DEFAULTS: WebauthnConfig = {
  rp_id: "localhost",
  rp_name: "MCIAS",
  origins: [],
  registration_max_auth_age_s: 600,
};

/** The origins a ceremony may come from. */
export function expectedOrigins(cfg: WebauthnConfig): string[] {
  return cfg.origins.length > 0 ? cfg.origins : [`https://${cfg.rp_id}`];
}
