// The proxy engine of one process: listeners, route tables, firewall, L4/L7 handling, backend
// pools, health checks and graceful shutdown. State arrives whole via apply() (from the DB in
// single-process mode, over IPC in cluster workers) and is swapped in without dropping connections.
import type { Socket } from "node:net";
import { parseListenAddr } from "@metacircular/mcdsl/config";
import type { Logger } from "pino";
import { buildBlockList, Firewall } from "./firewall/firewall.ts";
import { type ListenerBinding, type NativeIngress, sharedIngress } from "./io/native-ingress.ts";
import { loadIngressAddon } from "./io/native-io.ts";
import { startNativeListener } from "./io/native-listener.ts";
import { type ListenerHandle, startNodeListener } from "./io/node-listener.ts";
import type { Metrics } from "./metrics/metrics.ts";
import { acceptConnection, type ListenerView } from "./proxy/accept.ts";
import { type BackendPool, createPool, poolKey } from "./proxy/backend-pool.ts";
import { ConnBook, type ListenerMetrics } from "./proxy/conn-book.ts";
import type { ConnMeta } from "./proxy/conn-meta.ts";
import { HealthChecker } from "./proxy/health-checker.ts";
import { spliceL4 } from "./proxy/l4-splice.ts";
import { L7Front } from "./proxy/l7-front.ts";
import { MemoryTrim } from "./proxy/memory-trim.ts";
import { RouteTable } from "./proxy/route-table.ts";
import type { TicketSeed } from "./proxy/ticket-keys.ts";
import { TlsContexts } from "./proxy/tls-contexts.ts";
import type { ListenerSpec, ProxyState, RouteSpec } from "./state/types.ts";

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
  /** HTTP/1.1 front end for L7 (see [server] h1_front). */
  h1Front?: "lean" | "node";
}

interface RunningListener {
  view: ListenerView;
  handle: ListenerHandle;
}

export class Engine {
  readonly firewall = new Firewall();
  private readonly listeners = new Map<string, RunningListener>();
  private readonly sockets = new Set<Socket>();
  private readonly pools = new Map<string, BackendPool>();
  private readonly contexts: TlsContexts;
  private readonly poolOf = new WeakMap<RouteSpec, BackendPool>();
  private readonly health: HealthChecker;
  private readonly l7: L7Front;
  private closing = false;
  /** The native ingress when [server] io selects it (and the addon loads), else null. */
  readonly native: NativeIngress | null;
  /** Returns freed memory to the kernel after connection churn (native addon only). */
  readonly memory: MemoryTrim;
  private trimFn: (() => boolean) | null = null;

  private readonly book: ConnBook;

  constructor(private readonly o: EngineOptions) {
    this.book = new ConnBook(o.metrics, o.logger, o.accessLog, (ip) =>
      this.firewall.checkConnection(ip),
    );
    this.native = this.setupIo();
    this.memory = new MemoryTrim(this.trimFn);
    this.contexts = new TlsContexts(o.logger);
    this.health = new HealthChecker((r) => this.poolFor(r), o.logger, o.healthIntervalMs);
    this.l7 = new L7Front({
      firewall: this.firewall,
      metrics: o.metrics,
      logger: o.logger,
      accessLog: o.accessLog,
      contexts: this.contexts,
      pool: (m: ConnMeta) => this.poolFor(this.routeNow(m)),
      healthy: (m: ConnMeta) => this.health.healthy(m.route),
      handshakeTimeoutMs: o.handshakeTimeoutMs,
      h2Front: o.h2Front ?? "lean",
      h1Front: o.h1Front ?? "lean",
      memory: this.memory,
    });
  }

  private setupIo(): NativeIngress | null {
    const mode = this.o.io ?? "auto";
    const log = this.o.logger;
    if (mode === "node") {
      log.info({ io: "node" }, "connection I/O: node:net");
      return null;
    }
    const l = loadIngressAddon();
    if (l.addon === undefined) {
      if (mode === "native")
        throw new Error(`[server] io = "native" but the ingress addon cannot be used: ${l.error}`);
      log.warn({ io: "node", reason: l.error }, "connection I/O: node:net (no native ingress)");
      return null;
    }
    const addon = l.addon;
    this.trimFn = () => addon.trimMemory();
    const ni = sharedIngress(l.addon, {
      threads: this.o.ioThreads ?? 0,
      helloTimeoutMs: this.o.helloTimeoutMs,
      onError: (m) => log.error(m),
    });
    log.info({ io: "native", threads: ni.threads, addon: l.path }, "connection I/O: native");
    return ni;
  }

  /** Continue the cluster primary's session-ticket chain (workers then share ticket keys). */
  shareTicketKeys(seed: TicketSeed): void {
    this.contexts.reseed(seed);
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
        running.handle.close();
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
    // The L4 fast path follows routes and firewall rules: applied once the I/O threads use them.
    await this.native?.refresh();
  }

  private async startListener(view: ListenerView): Promise<void> {
    const { host, port } = parseListenAddr(view.spec.addr);
    const name = view.spec.name;
    const entry = { view } as RunningListener;
    entry.handle =
      this.native !== null
        ? await startNativeListener(this.native, host, port, this.binding(entry))
        : await startNodeListener(
            name,
            host,
            port,
            this.o.exclusive,
            (sock) => this.onConnection(entry, sock),
            this.o.logger,
          );
    this.listeners.set(name, entry);
    this.o.logger.info({ listener: name, addr: entry.handle.address }, "listening");
  }

  /** Counts a client socket as open until it closes; false when the engine is closing. */
  private track(sock: Socket, lm: ListenerMetrics): boolean {
    if (this.closing) {
      sock.destroy();
      return false;
    }
    this.sockets.add(sock);
    lm.active.inc();
    sock.once("close", () => {
      this.sockets.delete(sock);
      lm.active.dec();
    });
    return true;
  }

  private binding(entry: RunningListener): ListenerBinding {
    const lm = this.book.listener(entry.view.spec.name);
    return {
      view: () => entry.view,
      hooks: this.book.decisionHooks(entry.view.spec.name),
      opened: () => lm.active.inc(),
      finished: () => lm.active.dec(),
      target: (meta) => this.poolTarget(meta.route),
      relayStarted: () => lm.l4.inc(),
      relayClosed: (meta, r) => this.book.l4Closed(meta, r.up, r.down, r.ms),
      l7: (sock, initial, meta) => {
        if (!this.track(sock, lm)) return;
        lm.l7.inc();
        this.l7.accept(sock, initial, meta);
      },
      fastAllowed: () => !entry.view.spec.proxyProtocol && this.firewall.admitsEveryone,
      // Behind PROXY protocol the peer is the edge, not the client: the lists wait for the header.
      peerLists: () => (entry.view.spec.proxyProtocol ? null : this.firewall.addressLists),
    };
  }

  private onConnection(entry: RunningListener, sock: Socket): void {
    const lm = this.book.listener(entry.view.spec.name);
    if (!this.track(sock, lm)) return;
    acceptConnection(() => entry.view, sock, {
      ...this.book.decisionHooks(entry.view.spec.name),
      helloTimeoutMs: this.o.helloTimeoutMs,
      l4: (s, initial, meta) => {
        lm.l4.inc();
        const started = Date.now();
        spliceL4(s, initial, meta, this.poolTarget(meta.route), (up, down) =>
          this.book.l4Closed(meta, up, down, Date.now() - started),
        );
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

  /**
   * The route a request on an open connection goes by: the one it was accepted with while that
   * route's pool is open; once a new state dropped the pool (the route now points at another
   * backend), the listener's current route for the same name, so a keep-alive client follows a
   * backend swap with its next request instead of reaching the old backend after it is gone.
   */
  private routeNow(m: ConnMeta): RouteSpec {
    const hit = this.poolOf.get(m.route);
    if (hit !== undefined && !hit.conns.isClosed) return m.route;
    const now = this.listeners.get(m.listener)?.view.table.lookup(m.sni);
    if (now !== undefined && now.mode === "l7" && now.hostname === m.route.hostname) m.route = now;
    return m.route;
  }

  /** The route's pool; remembered per route object (no key string per request). */
  private poolFor(r: RouteSpec): BackendPool {
    const hit = this.poolOf.get(r);
    if (hit !== undefined && !hit.conns.isClosed) return hit;
    const k = poolKey(r);
    let p = this.pools.get(k);
    if (p === undefined) {
      p = createPool(r);
      this.pools.set(k, p);
    }
    this.poolOf.set(r, p);
    return p;
  }

  /** Bound address of each listener, e.g. { web: "127.0.0.1:43211" }. */
  addresses(): Record<string, string> {
    return Object.fromEntries([...this.listeners].map(([n, l]) => [n, l.handle.address]));
  }

  /** Open client connections: node sockets plus those owned by the native I/O threads. */
  get connectionCount(): number {
    return this.sockets.size + (this.native?.active ?? 0);
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
    for (const l of this.listeners.values()) l.handle.close();
    this.listeners.clear();
    this.health.stop();
    this.memory.stop();
    this.l7.drain();
    const deadline = Date.now() + timeoutMs;
    while (this.connectionCount > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, deadline - Date.now()))));
      this.l7.drain();
    }
    const forced = this.connectionCount;
    for (const s of this.sockets) s.destroy();
    this.native?.closeAll();
    this.sockets.clear();
    for (const p of this.pools.values()) p.close();
    this.contexts.close();
    return { forced };
  }
}
