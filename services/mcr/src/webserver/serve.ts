// Starts the web UI's listener ([web] listen_addr: plain HTTP on loopback, behind MC-Proxy).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AuthClient } from "@metacircular/mcdsl/auth";
import { type HttpServerHandle, serveHttp } from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import { ssoClientOptions } from "@metacircular/mcdsl/sso";
import type { McrConfig } from "../config.ts";
import type { RegistryAdmin } from "../registry/admin-ops.ts";
import { VERSION } from "../version.ts";
import { buildWebApp } from "./web-app.tsx";

function sessionKey(cfg: McrConfig, log: Logger): Buffer {
  const file = cfg.web.session_key_file;
  if (!file) {
    log.warn("no [web] session_key_file: web sessions end when mcr restarts");
    return randomBytes(32);
  }
  const key = readFileSync(file);
  if (key.length < 32) throw new Error(`${file}: a session key needs at least 32 bytes`);
  return key;
}

export function startWeb(o: {
  cfg: McrConfig;
  listen: string;
  admin: RegistryAdmin;
  mcias: AuthClient;
  logger: Logger;
}): Promise<HttpServerHandle> {
  const { cfg } = o;
  const app = buildWebApp({
    admin: o.admin,
    validator: o.mcias,
    logger: o.logger,
    version: VERSION,
    sso: {
      mciasUrl: cfg.mcias.server_url,
      serviceName: cfg.mcias.service_name,
      sessionKeys: sessionKey(cfg, o.logger),
      sessionTtlSeconds: cfg.web.session_ttl_seconds,
      secure: cfg.web.secure_cookies,
      auth: o.mcias,
      ...(cfg.mcias.ca_cert ? { caCert: cfg.mcias.ca_cert } : {}),
      ...ssoClientOptions(cfg.sso),
    },
  });
  return serveHttp(app, {
    listen: o.listen,
    logger: o.logger,
    shutdownTimeoutMs: cfg.server.shutdown_timeout_ms,
  });
}
