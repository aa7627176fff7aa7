// Keeps an API listener (REST or gRPC) up without ever holding DNS hostage: the first attempt is
// awaited, a failure (port taken, permission) is logged with its reason and retried with
// exponential back-off until it binds or the server closes.

import type { Logger } from "@metacircular/mcdsl/log";

export interface Closable {
  close(): Promise<void>;
}

export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
}

export type ListenerState<H> =
  | { kind: "up"; handle: H }
  | { kind: "retrying"; attempts: number; lastError: string }
  | { kind: "closed" };

export interface Supervised<H extends Closable> {
  state(): ListenerState<H>;
  handle(): H | undefined;
  close(): Promise<void>;
}

export async function superviseListener<H extends Closable>(
  what: string,
  start: () => Promise<H>,
  log: Logger,
  policy: RetryPolicy,
): Promise<Supervised<H>> {
  let state: ListenerState<H> = { kind: "retrying", attempts: 0, lastError: "" };
  let timer: NodeJS.Timeout | undefined;
  let delay = policy.initialMs;
  // A function, not an inline test: close() may change the state while start() is pending.
  const closed = () => state.kind === "closed";

  const attempt = async (): Promise<void> => {
    if (state.kind !== "retrying") return;
    const attempts = state.attempts + 1;
    try {
      const h = await start();
      if (closed()) {
        await h.close();
        return;
      }
      state = { kind: "up", handle: h };
      if (attempts > 1) log.info({ listener: what, attempts }, `${what} is up after retrying`);
    } catch (err) {
      if (closed()) return;
      const reason = err instanceof Error ? err.message : String(err);
      state = { kind: "retrying", attempts, lastError: reason };
      log.warn(
        { listener: what, err: reason, attempts, retryInMs: delay },
        `${what} could not start (DNS keeps serving); retrying`,
      );
      timer = setTimeout(() => void attempt(), delay);
      delay = Math.min(delay * 2, policy.maxMs);
    }
  };
  await attempt();

  return {
    state: () => state,
    handle: () => (state.kind === "up" ? state.handle : undefined),
    async close() {
      if (timer) clearTimeout(timer);
      const prev = state;
      state = { kind: "closed" };
      if (prev.kind === "up") await prev.handle.close();
    },
  };
}
