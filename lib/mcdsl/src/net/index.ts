export {
  closeGracefully,
  listenTracked,
  serverUrl,
  type TlsFiles,
  UNIX_PREFIX,
  urlHost,
} from "./listen.ts";
