// The ACME server of Metacrypt (RFC 8555 with EAB, RFC 8737 tls-alpn-01, RFC 9773 renewal
// information, the draft profiles extension), built from [acme] over MetacryptOps.

import type { Database } from "@metacircular/mcdsl/db";
import type { Logger } from "@metacircular/mcdsl/log";
import type { MetacryptOps } from "../service/ops.ts";
import { AcmeCa } from "./ca-port.ts";
import type { AcmeConfig } from "./config-section.ts";
import type { AcmeDeps } from "./context.ts";
import { NonceStore } from "./nonces.ts";
import { AcmeStore } from "./store.ts";

export { acmeSection } from "./config-section.ts";
export { ACME_ROUTES, acmeRoutes } from "./routes.ts";
export type { AcmeDeps };

export function buildAcme(cfg: AcmeConfig, db: Database, ops: MetacryptOps, log: Logger): AcmeDeps {
  return {
    store: new AcmeStore(db),
    ca: new AcmeCa(ops),
    nonces: new NonceStore(db, { ttlSeconds: cfg.nonce_ttl_seconds, max: cfg.max_nonces }),
    log,
    opts: {
      requireEab: cfg.require_eab,
      anonymousIdentity: { username: cfg.anonymous_identity, accountType: "system", roles: [] },
      defaultProfile: cfg.default_profile,
      externalUrl: cfg.external_url?.replace(/\/$/, ""),
      orderLifetimeMs: cfg.order_lifetime_hours * 3_600_000,
      authzReuseMs: cfg.authz_reuse_days * 86_400_000,
      inlineValidationMs: cfg.inline_validation_ms,
      validation: {
        httpPort: cfg.http01_port,
        tlsAlpnPort: cfg.tlsalpn01_port,
        dnsResolver: cfg.dns_resolver,
        hosts: Object.fromEntries(Object.entries(cfg.hosts).map(([k, v]) => [k.toLowerCase(), v])),
        timeoutMs: cfg.validation_timeout_seconds * 1000,
      },
    },
  };
}
