// Assembles an mcat instance: the MCIAS policy-tools client (admin system token), the token
// validator for signed-in administrators (audience [mcias] service_name) and one HTTP listener
// for the web UI. No database: every fact MCAT shows or changes lives in MCIAS.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { AuthClient } from "@metacircular/mcdsl/auth";
import {
  type AppEnv,
  type HttpServerHandle,
  serveHttp,
  type TokenValidator,
} from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import { ssoClientOptions } from "@metacircular/mcdsl/sso";
import type { Hono } from "hono";
import type { McatConfig } from "./config.ts";
import { PolicyAdmin } from "./policy/policy-admin.ts";
import { type AppDeps, buildApp } from "./server/app-routes.ts";
import { VERSION } from "./version.ts";

export interface McatOptions {
  logger: Logger;
  /** Token validator; default an MCIAS AuthClient for [mcias] service_name. */
  validator?: TokenValidator;
}

export interface McatHandle {
  http: HttpServerHandle;
  /** The Hono app (for the access map's completeness test). */
  app: Hono<AppEnv>;
  close(): Promise<void>;
}

function sessionKey(cfg: McatConfig, log: Logger): Buffer {
  const file = cfg.web.session_key_file;
  if (!file) {
    log.warn("no [web] session_key_file: sessions end when mcat restarts");
    return randomBytes(32);
  }
  const key = readFileSync(file);
  if (key.length < 32) throw new Error(`${file}: a session key needs at least 32 bytes`);
  return key;
}

function webDeps(cfg: McatConfig, log: Logger): AppDeps["web"] {
  return {
    mciasUrl: cfg.mcias.server_url,
    serviceName: cfg.mcias.service_name,
    sessionKeys: sessionKey(cfg, log),
    sessionTtlSeconds: cfg.web.session_ttl_seconds,
    secure: cfg.web.secure_cookies,
    ...(cfg.mcias.ca_cert ? { caCert: cfg.mcias.ca_cert } : {}),
    ...ssoClientOptions(cfg.sso),
  };
}

export async function startMcat(cfg: McatConfig, opts: McatOptions): Promise<McatHandle> {
  const log = opts.logger;
  const m = cfg.mcias;
  // The token file may appear after the start (npm start writes it once MCIAS runs); until
  // then every page answers 503 unavailable.
  if (!existsSync(m.admin_token_file))
    log.warn({ file: m.admin_token_file }, "MCAT's MCIAS token file is missing");
  const auth = opts.validator
    ? undefined
    : new AuthClient({
        serverUrl: m.server_url,
        serviceName: m.service_name,
        tags: m.tags,
        logger: log,
        ...(m.ca_cert ? { caCert: m.ca_cert } : {}),
      });
  const policy = new PolicyAdmin({
    mciasUrl: m.server_url,
    caCert: m.ca_cert,
    tokenFile: m.admin_token_file,
  });
  const app = buildApp({
    policy,
    validator: opts.validator ?? auth!,
    logger: log,
    version: VERSION,
    web: webDeps(cfg, log),
  });
  const serveOpts: Parameters<typeof serveHttp>[1] = {
    listen: cfg.server.listen_addr,
    logger: log,
    shutdownTimeoutMs: cfg.server.shutdown_timeout_ms,
  };
  if (cfg.server.tls_cert && cfg.server.tls_key)
    serveOpts.tls = { cert: cfg.server.tls_cert, key: cfg.server.tls_key };
  const http = await serveHttp(app, serveOpts);
  log.info({ url: http.url }, "mcat started");
  return {
    http,
    app,
    async close() {
      await http.close();
      await auth?.close();
      policy.close();
    },
  };
}
