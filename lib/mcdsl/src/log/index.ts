export { createLogger, LOG_LEVELS, type Level, type Logger, type LoggerOptions, silentLogger } from "./logger.ts";
export { isSecretKey, REDACT_KEYS, REDACTED, redact } from "./redact.ts";
export { captureLogs, type CapturedLogs } from "./capture.ts";
