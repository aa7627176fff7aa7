// stopOnSignals: the shutdown path of every server binary. The first SIGTERM/SIGINT logs, runs
// `close` (servers' graceful close, then db.close), flushes the log and exits 0; a failing close
// exits 1; a second signal while closing exits at once with 130.
import type { Logger } from "pino";

export interface StopOptions {
  logger: Logger;
  close: () => Promise<void> | void;
  signals?: NodeJS.Signals[];
  /** Injected for tests; default process.exit. */
  exit?: (code: number) => void;
}

function flush(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    try {
      logger.flush(() => resolve());
    } catch {
      resolve();
    }
  });
}

/** Installs the handlers; returns a function that removes them. */
export function stopOnSignals(opts: StopOptions): () => void {
  const signals = opts.signals ?? ["SIGTERM", "SIGINT"];
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      opts.logger.warn({ signal }, "second signal while stopping; exiting now");
      exit(130);
      return;
    }
    stopping = true;
    opts.logger.info({ signal }, "shutting down");
    void (async () => {
      let code = 0;
      try {
        await opts.close();
        opts.logger.info("stopped");
      } catch (err) {
        opts.logger.error({ err }, "shutdown failed");
        code = 1;
      }
      await flush(opts.logger);
      exit(code);
    })();
  };
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}
