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
export { type StopOptions, stopOnSignals } from "./shutdown.ts";
export { formatTable } from "./table.ts";
