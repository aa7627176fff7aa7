// serveHttp options from a service's [server] section: listen_addr, TLS and the shutdown wait.
import type { Logger } from "pino";
import { listenerFromConfig, type ServerListenConfig } from "../net/index.ts";
import type { ServeOptions } from "./serve.ts";

export function httpOptionsFromConfig(server: ServerListenConfig, logger: Logger): ServeOptions {
  return { ...listenerFromConfig(server), logger };
}
