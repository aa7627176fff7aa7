// The proxy engine of one process: listeners, route tables, firewall, L4/L7 handling, backend
// pools, health checks and graceful shutdown. State arrives whole via apply() (from the DB in
// single-process mode, over IPC in cluster workers) and is swapped in without dropping connections.
import { createServer, type Server, type Socket } from "node:net";
import { parseListenAddr } from "@metacircular/mcdsl/config";
import type { Logger } from "pino";
import { buildBlockList, Firewall } from "../firewall/firewall.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { ListenerSpec, ProxyState, RouteSpec } from "../state/types.ts";
import { acceptConnection, type ListenerView } from "./accept.ts";
import { type BackendPool, createPool, poolKey } from "./backend-pool.ts";
import type { ConnMeta } from "./conn-meta.ts";
import { HealthChecker } from "./health-checker.ts";
import { spliceL4 } from "./l4-splice.ts";
import { L7Front } from "./l7-front.ts";
import { RouteTable } from "./route-table.ts";
import { TlsContexts } from "./tls-contexts.ts";

export interface EngineOptions {
  logger: Logger;
  metrics: Metrics;
  accessLog: boolean;
  helloTimeoutMs: number;
  handshakeTimeoutMs: number;
  healthIntervalMs?: number;
  /** Listen with SO_REUSEPORT-free exclusive sockets (single process) or shared (cluster). */
  exclusive: boolean;
  /** Connection I/O path (see [server] io in config.ts). */
  io?: "auto" | "native" | "node";
  /** Native I/O threads; 0 = one per core. */
  ioThreads?: number;
  /** HTTP/2 front end for L7 (see [server] h2_front). */
  h2Front?: "lean" | "node";
}

interface RunningListener {
  view: ListenerView;
  server: Server;
  address: string;
}

export class Engine {
  readonly firewall = new Firewall();
  private readonly listeners = new Map<string, RunningListener>();
  private readonly sockets = new Set<Socket>();
  private readonly pools = new Map<string, BackendPool>();
  private readonly contexts: TlsContexts;
  private readonly health: HealthChecker;
  private readonly l7: L7Front;
  private closing = false;

  constructor(private readonly o: EngineOptions) {
    this.contexts = new TlsContexts(o.logger);
    this.health = new HealthChecker((r) => this.poolFor(r), o.logger, o.healthIntervalMs);
    this.l7 = new L7Front({
      firewall: this.firewall,
      metrics: o.metrics,
      logger: o.logger,
      accessLog: o.accessLog,
      contexts: this.contexts,
      pool: (m: ConnMeta) => this.poolFor(m.route),
      lookup: (listener: string, sni: string) =>
        this.listeners.get(listener)?.view.table.lookup(sni),
      healthy: (m: ConnMeta) => this.health.healthy(m.route),
      handshakeTimeoutMs: o.handshakeTimeoutMs,
      h2Front: o.h2Front ?? "node",
    });
  }

  /** Swap in a new state. New listeners start, removed ones stop, route tables are replaced. */
  async apply(state: ProxyState): Promise<void> {
    this.firewall.update(state.firewall);
    const byListener = new Map<string, RouteSpec[]>();
    for (const r of state.routes) {
      const list = byListener.get(r.listener) ?? [];
      list.push(r);
      byListener.set(r.listener, list);
    }
    const wanted = new Map(state.listeners.map((l) => [l.name, l]));
    for (const [name, running] of this.listeners) {
      const spec = wanted.get(name);
      if (spec === undefined || spec.addr !== running.view.spec.addr) {
        running.server.close();
        this.listeners.delete(name);
      }
    }
    for (const spec of state.listeners) {
      const view: ListenerView = {
        spec,
        table: new RouteTable(byListener.get(spec.name) ?? []),
        trusted: buildBlockList(spec.trustedProxies),
      };
      const running = this.listeners.get(spec.name);
      if (running !== undefined) running.view = view;
      else if (!this.closing) await this.startListener(view);
    }
    const keepPools = new Set(state.routes.filter((r) => r.mode === "l7").map(poolKey));
    for (const [k, p] of this.pools) {
      if (!keepPools.has(k)) {
        p.close();
        this.pools.delete(k);
      }
    }
    this.contexts.prune(
      new Set(
        state.routes
          .filter((r) => r.mode === "l7" && r.tlsCert && r.tlsKey)
          .map((r) => TlsContexts.id(r.tlsCert as string, r.tlsKey as string, r.minTls)),
      ),
    );
    this.health.setRoutes(state.routes);
  }

  private async startListener(view: ListenerView): Promise<void> {
    const { host, port } = parseListenAddr(view.spec.addr);
    const entry: RunningListener = { view, server: createServer(), address: "" };
    const server = entry.server;
    server.on("connection", (sock: Socket) => this.onConnection(entry, sock));
    server.on("error", (e) =>
      this.o.logger.error({ listener: view.spec.name, err: e.message }, "listener error"),
    );
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(
        { host: host || undefined, port, exclusive: this.o.exclusive, backlog: 4096 },
        () => {
          server.off("error", reject);
          resolve();
        },
      );
    });
    const a = server.address();
    entry.address =
      a !== null && typeof a === "object"
        ? a.family === "IPv6"
          ? `[${a.address}]:${a.port}`
          : `${a.address}:${a.port}`
        : "";
    this.listeners.set(view.spec.name, entry);
    this.o.logger.info({ listener: view.spec.name, addr: entry.address }, "listening");
  }

  // prom-client hashes label objects on every call: per-listener children are cached.
  private readonly listenerMetrics = new Map<
    string,
    { active: { inc(): void; dec(): void }; l4: { inc(): void }; l7: { inc(): void } }
  >();

  private metricsFor(listener: string) {
    let c = this.listenerMetrics.get(listener);
    if (c === undefined) {
      const m = this.o.metrics;
      c = {
        active: m.active.labels({ listener }),
        l4: m.connections.labels({ listener, outcome: "l4" }),
        l7: m.connections.labels({ listener, outcome: "l7" }),
      };
      this.listenerMetrics.set(listener, c);
    }
    return c;
  }

  private onConnection(entry: RunningListener, sock: Socket): void {
    const name = entry.view.spec.name;
    if (this.closing) return void sock.destroy();
    this.sockets.add(sock);
    const lm = this.metricsFor(name);
    lm.active.inc();
    sock.once("close", () => {
      this.sockets.delete(sock);
      lm.active.dec();
    });
    const m = this.o.metrics;
    acceptConnection(() => entry.view, sock, {
      helloTimeoutMs: this.o.helloTimeoutMs,
      admit: (ip) => {
        const v = this.firewall.checkConnection(ip);
        if (v === "allow") return true;
        m.firewallDrops.inc({ reason: v });
        m.connections.inc({ listener: name, outcome: "blocked" });
        return false;
      },
      unknownSni: (listener, sni) => {
        m.connections.inc({ listener, outcome: "unknown_sni" });
        this.o.logger.debug({ listener, sni }, "no route for SNI");
      },
      outcome: (listener, outcome) => m.connections.inc({ listener, outcome }),
      l4: (s, initial, meta) => {
        lm.l4.inc();
        const target = this.poolTarget(meta.route);
        spliceL4(s, initial, meta, target, (up, down) => {
          m.bytes.inc({ route: meta.route.hostname, direction: "up" }, up);
          m.bytes.inc({ route: meta.route.hostname, direction: "down" }, down);
        });
      },
      l7: (s, initial, meta) => {
        lm.l7.inc();
        this.l7.accept(s, initial, meta);
      },
    });
  }

  private poolTarget(r: RouteSpec) {
    return this.poolFor(r).target;
  }

  private poolFor(r: RouteSpec): BackendPool {
    const k = poolKey(r);
    let p = this.pools.get(k);
    if (p === undefined) {
      p = createPool(r);
      this.pools.set(k, p);
    }
    return p;
  }

  /** Bound address of each listener, e.g. { web: "127.0.0.1:43211" }. */
  addresses(): Record<string, string> {
    return Object.fromEntries([...this.listeners].map(([n, l]) => [n, l.address]));
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  listenerSpecs(): ListenerSpec[] {
    return [...this.listeners.values()].map((l) => l.view.spec);
  }

  /**
   * Stop accepting, let in-flight work finish, then destroy whatever is still open once
   * `timeoutMs` has passed. Always resolves within the timeout (plus one tick).
   */
  async close(timeoutMs: number): Promise<{ forced: number }> {
    this.closing = true;
    for (const l of this.listeners.values()) l.server.close();
    this.listeners.clear();
    this.health.stop();
    this.l7.drain();
    const deadline = Date.now() + timeoutMs;
    while (this.sockets.size > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, deadline - Date.now()))));
      this.l7.drain();
    }
    const forced = this.sockets.size;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    for (const p of this.pools.values()) p.close();
    this.contexts.close();
    return { forced };
  }
}
