// Runtime that runs the engine inside the main process (server.workers = 0; tests, small hosts).
import type { Engine } from "../engine.ts";
import type { Runtime, RuntimeStatus } from "../state/controller.ts";
import type { ProxyState } from "../state/types.ts";

export class LocalRuntime implements Runtime {
  constructor(readonly engine: Engine) {}

  apply(state: ProxyState): Promise<void> {
    return this.engine.apply(state);
  }

  async status(): Promise<RuntimeStatus> {
    return {
      addresses: this.engine.addresses(),
      connections: this.engine.connectionCount,
      workers: 0,
    };
  }

  async close(timeoutMs: number): Promise<{ forced: number }> {
    return this.engine.close(timeoutMs);
  }
}
