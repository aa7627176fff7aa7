// Logger used across mcns: the mcdsl pino logger.
export type { Logger } from "@metacircular/mcdsl/log";
