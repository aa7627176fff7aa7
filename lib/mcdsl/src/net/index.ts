export {
  type ListenerSettings,
  listenerFromConfig,
  type ServerListenConfig,
} from "./from-config.ts";
export {
  closeGracefully,
  listenTracked,
  serverUrl,
  type TlsFiles,
  UNIX_PREFIX,
  urlHost,
} from "./listen.ts";
