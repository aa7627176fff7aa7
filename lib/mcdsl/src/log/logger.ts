// The platform logger: pino JSON lines with every object passed through `redact` so secrets
// (passwords, tokens, keys, TOTP codes, cookies, authorization headers) never reach a log line.
import pino, { type DestinationStream, type Level, type Logger } from "pino";
import { redact, scrubString } from "./redact.ts";

export type { Level, Logger };

export const LOG_LEVELS: readonly Level[] = ["trace", "debug", "info", "warn", "error", "fatal"];

export interface LoggerOptions {
  service: string;
  level?: Level | "silent";
  /** Where lines go; default stdout. Anything with write(line) works (tests capture with it). */
  destination?: DestinationStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const logger = pino(
    {
      level: opts.level ?? "info",
      base: { service: opts.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: "msg",
      // Errors are already turned into plain records by `redact`; pino's serializer would
      // otherwise re-label them "Object".
      serializers: { err: (e: unknown) => e },
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (b) => redact(b) as Record<string, unknown>,
        log: (o) => redact(o) as Record<string, unknown>,
      },
      hooks: {
        // Messages are strings built by callers; mask any bearer credential that slipped in.
        logMethod(args, method) {
          const scrubbed: unknown[] = args.map((a) => (typeof a === "string" ? scrubString(a) : a));
          // logger.error(err): pino would take err.message as msg after our formatter ran.
          const first = scrubbed[0];
          if (first instanceof Error) {
            scrubbed[0] = { err: first };
            if (typeof scrubbed[1] !== "string") scrubbed.splice(1, 0, scrubString(first.message));
          }
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    opts.destination ?? pino.destination({ fd: 1, sync: false }),
  );
  // pino does not pass child bindings through formatters.bindings; redact them here. Children
  // inherit this method through their prototype, so grandchildren are covered too.
  const child = logger.child;
  logger.child = function redactingChild(this: Logger, bindings, options) {
    return child.call(this, redact(bindings) as typeof bindings, options);
  } as typeof logger.child;
  return logger;
}

/** A logger that discards everything (tests and tools that must stay quiet). */
export function silentLogger(service = "test"): Logger {
  return createLogger({ service, level: "silent" });
}
