// The listener settings of a service's [server] config section (mcdsl/config serverSection),
// shared by serveHttp and serveGrpc so each service does not rebuild them by hand.
import type { TlsFiles } from "./listen.ts";

/** The fields of the [server] section a listener needs (structurally serverSection's). */
export interface ServerListenConfig {
  listen_addr: string;
  grpc_addr?: string | undefined;
  tls_cert?: string | undefined;
  tls_key?: string | undefined;
  shutdown_timeout_ms: number;
}

export interface ListenerSettings {
  listen: string;
  tls?: TlsFiles;
  shutdownTimeoutMs: number;
}

/** Listen on `listen` (default the REST listen_addr), TLS when tls_cert and tls_key are set. */
export function listenerFromConfig(
  server: ServerListenConfig,
  listen: string = server.listen_addr,
): ListenerSettings {
  const out: ListenerSettings = { listen, shutdownTimeoutMs: server.shutdown_timeout_ms };
  if (server.tls_cert && server.tls_key) out.tls = { cert: server.tls_cert, key: server.tls_key };
  return out;
}
