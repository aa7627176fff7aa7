// Runtime for server.workers >= 1: the primary forks workers that each run an engine on the
// shared listening sockets (the kernel spreads connections: SCHED_NONE). State changes are sent to
// every worker; a worker that dies is replaced and receives the current state.
import cluster, { type Worker } from "node:cluster";
import { resolve } from "node:path";
import type { Logger } from "pino";
import { loadIngressAddon } from "../io/native-io.ts";
import { TICKET_PERIOD_MS, TicketKeys } from "../proxy/ticket-keys.ts";
import type { Runtime, RuntimeStatus } from "../state/controller.ts";
import type { ProxyState } from "../state/types.ts";
import { type FromWorker, isFromWorker, type ToWorker } from "./messages.ts";
import { PortReservations } from "./port-reservations.ts";

export class ClusterRuntime implements Runtime {
  private state: ProxyState | null = null;
  private seq = 0;
  private readonly waiters = new Map<string, (m: FromWorker) => void>();
  private stopping = false;
  /** Set when workers use the native ingress (their own SO_REUSEPORT sockets). */
  private readonly ports: PortReservations | null = null;
  /** Session-ticket chain the workers continue from (they resume each other's sessions). */
  private readonly tickets = new TicketKeys(TICKET_PERIOD_MS);

  constructor(
    private readonly count: number,
    configPath: string,
    private readonly logger: Logger,
    io: "auto" | "native" | "node" = "auto",
  ) {
    if (io !== "node") {
      const l = loadIngressAddon();
      // Checked here, before forking: a worker failing the same check would be restarted forever.
      if (l.addon === undefined && io === "native")
        throw new Error(`[server] io = "native" but the ingress addon cannot be used: ${l.error}`);
      if (l.addon !== undefined) this.ports = new PortReservations(l.addon);
    }
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    // Workers run the same entry file as the primary (src/cmd/mc-proxy.ts under tsx, or the
    // bundle under plain node), with the same Node flags.
    cluster.setupPrimary({
      exec: resolve(process.argv[1] ?? ""),
      execArgv: process.execArgv,
      args: ["--config", configPath],
      silent: false,
    });
    cluster.on("exit", (w, code, signal) => {
      if (this.stopping) return;
      this.logger.error({ worker: w.id, code, signal }, "worker died; starting a replacement");
      this.fork();
    });
  }

  async start(): Promise<void> {
    const ready: Promise<void>[] = [];
    for (let i = 0; i < this.count; i++) ready.push(this.fork());
    await Promise.all(ready);
  }

  private fork(): Promise<void> {
    const w = cluster.fork();
    let onReady: () => void = () => {};
    w.on("message", (m: unknown) => {
      if (!isFromWorker(m)) return;
      if (m.type === "mcp:ready") return onReady();
      const k = `${w.id}:${m.seq}`;
      const fn = this.waiters.get(k);
      if (fn !== undefined) {
        this.waiters.delete(k);
        fn(m);
      }
    });
    // The worker says "ready" once its message handler is installed (after tsx has loaded it).
    return new Promise((res) => {
      onReady = () => {
        if (this.state !== null) {
          this.send(w, this.state).then(
            () => res(),
            (e: Error) => {
              this.logger.error({ worker: w.id, err: e.message }, "worker could not apply state");
              res();
            },
          );
        } else res();
      };
    });
  }

  private ask(w: Worker, msg: ToWorker & { seq: number }): Promise<FromWorker> {
    return new Promise((res, rej) => {
      const k = `${w.id}:${msg.seq}`;
      const timer = setTimeout(() => {
        this.waiters.delete(k);
        rej(new Error(`worker ${w.id} did not answer`));
      }, 10_000);
      this.waiters.set(k, (m) => {
        clearTimeout(timer);
        res(m);
      });
      w.send(msg);
    });
  }

  private async send(w: Worker, state: ProxyState): Promise<void> {
    const tickets = this.tickets.seed();
    const r = await this.ask(w, { type: "mcp:state", seq: ++this.seq, state, tickets });
    if (r.type === "mcp:applied" && r.error !== undefined) throw new Error(r.error);
  }

  private workers(): Worker[] {
    return Object.values(cluster.workers ?? {}).filter(
      (w): w is Worker => w?.isConnected() === true,
    );
  }

  async apply(state: ProxyState): Promise<void> {
    this.state = this.ports !== null ? this.ports.pin(state) : state;
    const pinned = this.state;
    await Promise.all(this.workers().map((w) => this.send(w, pinned)));
  }

  async status(): Promise<RuntimeStatus> {
    const answers = await Promise.all(
      this.workers().map((w) => this.ask(w, { type: "mcp:status", seq: ++this.seq })),
    );
    let connections = 0;
    let addresses: Record<string, string> = {};
    for (const a of answers) {
      if (a.type !== "mcp:status") continue;
      connections += a.connections;
      addresses = a.addresses;
    }
    return { addresses, connections, workers: answers.length };
  }

  /** Ask every worker to drain; workers force-close at the deadline and exit. */
  async close(timeoutMs: number): Promise<void> {
    this.stopping = true;
    const ws = this.workers();
    const exits = ws.map((w) => new Promise<void>((res) => w.once("exit", () => res())));
    for (const w of ws) w.send({ type: "mcp:shutdown", timeoutMs } satisfies ToWorker);
    const hard = setTimeout(() => {
      for (const w of ws) w.process.kill("SIGKILL");
    }, timeoutMs + 2_000);
    await Promise.all(exits);
    clearTimeout(hard);
    this.ports?.releaseAll();
  }
}
