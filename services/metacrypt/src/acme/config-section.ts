// [acme] in metacrypt.toml: the ACME server on every CA mount (/acme/<mount>/directory).

import { isIP } from "node:net";
import { z } from "zod";

const port = z.number().int().min(1).max(65535);

export const acmeSection = z.strictObject({
  enabled: z.boolean().default(false),
  /** New accounts must carry an External Account Binding made by an MCIAS caller. */
  require_eab: z.boolean().default(true),
  /** The MCIAS system identity of accounts made without a binding (require_eab = false). */
  anonymous_identity: z.string().min(1).default("acme"),
  /** The CA profile of an order that names none. */
  default_profile: z.string().min(1).default("acme"),
  /** Origin of the URLs handed out (e.g. https://metacrypt.example:8443); default per request. */
  external_url: z.url().optional(),
  http01_port: port.default(80),
  tlsalpn01_port: port.default(443),
  /** host:port of the DNS resolver for dns-01 (e.g. MCNS); default the system's. */
  dns_resolver: z.string().min(1).optional(),
  /** Name → address used for http-01 and tls-alpn-01 before DNS (tests, split horizons). */
  hosts: z
    .record(
      z.string().min(1),
      z.string().refine((a) => isIP(a) !== 0, "not an IP address"),
    )
    .default({}),
  validation_timeout_seconds: z.number().int().min(1).max(120).default(10),
  /**
   * How long the answer to a challenge response waits for its validation (step-ca answers with
   * the outcome too): a client that gets "valid" needs no polling. 0 = answer "processing" at once.
   */
  inline_validation_ms: z.number().int().min(0).max(30_000).default(2000),
  order_lifetime_hours: z.number().int().min(1).max(720).default(168),
  /**
   * How long a valid authorization stays valid and is reused by new orders of the same account
   * for the same identifier (RFC 8555 §7.1.4), like Let's Encrypt's 30 days; 0 = never reused.
   */
  authz_reuse_days: z.number().int().min(0).max(365).default(30),
  nonce_ttl_seconds: z.number().int().min(10).max(86_400).default(3600),
  max_nonces: z.number().int().min(100).max(10_000_000).default(100_000),
});
export type AcmeConfig = z.infer<typeof acmeSection>;
