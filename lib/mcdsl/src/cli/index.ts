export {
  type CliProfile,
  configDir,
  loadProfile,
  type ProfileState,
  profileEntry,
  profileOf,
  profilePath,
} from "./profile.ts";
export {
  type CliIO,
  type CliOptions,
  cliIO,
  createCli,
  describeError,
  printResult,
  runCli,
  wantsJson,
} from "./program.ts";
export { readSecret, type SecretOptions } from "./secret.ts";
export {
  addServiceConnection,
  callService,
  commandToken,
  profileUrl,
  type ServiceConnection,
} from "./service-api.ts";
export {
  addSettings,
  profileWarning,
  type SettingSpec,
  settingOption,
} from "./settings.ts";
export { type StopOptions, stopOnSignals } from "./shutdown.ts";
export { formatTable } from "./table.ts";
export {
  jwtExpiry,
  loadToken,
  saveToken,
  type TokenCacheOptions,
  tokenCachePath,
} from "./token-cache.ts";
