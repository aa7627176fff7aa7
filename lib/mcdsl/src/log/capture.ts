// An in-memory log sink for tests: collects the JSON lines a logger writes.
import { createLogger, type Level, type Logger } from "./logger.ts";

export interface CapturedLogs {
  logger: Logger;
  /** Raw lines as written. */
  lines: string[];
  /** Parsed records. */
  records(): Record<string, unknown>[];
  text(): string;
}

export function captureLogs(service = "test", level: Level = "trace"): CapturedLogs {
  const lines: string[] = [];
  const logger = createLogger({
    service,
    level,
    destination: { write: (s: string) => void lines.push(s) },
  });
  return {
    logger,
    lines,
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    text: () => lines.join(""),
  };
}
