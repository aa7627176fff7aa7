export { type CapturedLogs, captureLogs } from "./capture.ts";
export {
  createLogger,
  type Level,
  LOG_LEVELS,
  type Logger,
  type LoggerOptions,
  silentLogger,
} from "./logger.ts";
export { isSecretKey, REDACT_KEYS, REDACTED, redact } from "./redact.ts";
