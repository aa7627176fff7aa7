// Starts MCIAS: database, domain core, first-start bootstrap, REST listener (TLS 1.3 when a
// certificate is configured, plain HTTP otherwise) and, when configured, gRPC.
import { serveHttp } from "@metacircular/mcdsl/http";
import type { Logger } from "@metacircular/mcdsl/log";
import { bootstrap } from "../accounts/bootstrap.ts";
import { type Core, createCore } from "../app.ts";
import type { MciasConfig } from "../config.ts";
import { openDb } from "../db/open.ts";
import { VERSION } from "../version.ts";
import { createApp } from "./app.ts";

export interface RunningServer {
  url: string;
  grpcUrl?: string;
  core: Core;
  close(): Promise<void>;
}

export async function startServer(
  cfg: MciasConfig,
  logger: Logger,
  opts: { env?: NodeJS.ProcessEnv; announce?: (line: string) => void } = {},
): Promise<RunningServer> {
  const db = openDb(cfg.database.path, logger);
  const core = createCore(cfg, db);
  const housekeeping = () => {
    core.tokens.prune();
    core.throttle.prune();
    core.devices.prune();
  };
  housekeeping();
  const timer = setInterval(housekeeping, 3600_000);
  timer.unref();
  const boot = await bootstrap(core, opts.env ?? process.env);
  if (boot) {
    logger.info({ username: boot.username }, "bootstrap: first admin account created");
    if (boot.generatedPassword)
      (opts.announce ?? ((l) => process.stderr.write(`${l}\n`)))(
        `MCIAS bootstrap: admin account "${boot.username}" created with one-time password ${boot.generatedPassword} — log in and change it now; it is not shown again.`,
      );
  }

  const { app } = createApp(core, logger, VERSION);
  const s = cfg.server;
  const http = await serveHttp(app, {
    listen: s.listen_addr,
    ...(s.tls_cert && s.tls_key ? { tls: { cert: s.tls_cert, key: s.tls_key } } : {}),
    logger,
    shutdownTimeoutMs: s.shutdown_timeout_ms,
  });
  const url = http.url;
  // gRPC (and its libraries) load only when a gRPC listener is configured.
  const grpc = cfg.server.grpc_addr
    ? await (await import("../grpcserver/serve.ts")).startGrpc(core, cfg.server.grpc_addr, logger)
    : undefined;
  logger.info({ url, grpcUrl: grpc?.url, version: VERSION }, "mcias listening");

  return {
    url,
    ...(grpc ? { grpcUrl: grpc.url } : {}),
    core,
    async close() {
      clearInterval(timer);
      core.tokens.wakeAll();
      await grpc?.close();
      await http.close();
      await core.hasher.close();
      db.close();
    },
  };
}
