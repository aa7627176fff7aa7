// The web UI's options from metacrypt.toml ([web], [sso], [mcias]); undefined when disabled.
import type { Logger } from "@metacircular/mcdsl/log";
import { ssoClientOptions } from "@metacircular/mcdsl/sso";
import type { MetacryptConfig } from "../config.ts";
import { sessionKey } from "./config.ts";
import type { WebOptions } from "./install.ts";

export function webOptions(cfg: MetacryptConfig, log: Logger): WebOptions | undefined {
  if (!cfg.web.enabled) return undefined;
  return {
    mciasUrl: cfg.mcias.server_url,
    serviceName: cfg.mcias.service_name,
    sessionKeys: sessionKey(cfg.web, log),
    sessionTtlSeconds: cfg.web.session_ttl_seconds,
    secure: cfg.web.secure_cookies,
    ...(cfg.mcias.ca_cert ? { caCert: cfg.mcias.ca_cert } : {}),
    ...ssoClientOptions(cfg.sso),
  };
}
