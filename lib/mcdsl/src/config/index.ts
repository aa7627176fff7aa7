export { ConfigError, type ConfigProblem } from "./errors.ts";
export {
  formatListenAddr,
  type ListenAddr,
  ListenAddrError,
  type ParseListenAddrOptions,
  parseListenAddr,
  portEnvToAddr,
} from "./listen-addr.ts";
export {
  type LoadOptions,
  loadConfig,
  loadTomlDocument,
  type PortOverrides,
  parseTomlDocument,
} from "./load.ts";
export {
  type DatabaseConfig,
  databaseSection,
  type LogConfig,
  listenAddr,
  logSection,
  type MciasConfig,
  mciasSection,
  type ServerConfig,
  type SsoConfig,
  serverSection,
  ssoSection,
} from "./sections.ts";
