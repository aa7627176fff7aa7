// JS side of the native ingress: answers the I/O threads' peek events with verdicts (using the
// same decideAccept as the node:net path), starts L4 relays in native code, adopts the descriptors
// of L7 connections as net.Sockets (in the same call, no second round trip), and books relay
// results into metrics.
// One instance per process (the addon has one set of I/O threads); listeners of any engine bind
// to it with their own ListenerBinding.
import { closeSync } from "node:fs";
import { isIP, type Socket } from "node:net";
import { normalizeAddress } from "../protocol/proxy-header.ts";
import {
  type AcceptState,
  beginAccept,
  type DecisionHooks,
  decideAccept,
  type ListenerView,
} from "../proxy/accept.ts";
import type { ConnMeta } from "../proxy/conn-meta.ts";
import { proxyHeaderFor } from "../proxy/l4-splice.ts";
import { type HostPort, parseBackend } from "../state/backend-addr.ts";
import { decodeEvents, type IngressEvent } from "./events.ts";
import type { IngressAddon } from "./native-io.ts";
import { ResolveCache } from "./resolve-cache.ts";
import { socketFromFd } from "./socket-from-fd.ts";

/** Verdict codes understood by native/relay.cc. */
export const VERDICT = { more: 0, reset: 1, sendClose: 2, relay: 3, close: 5 } as const;

export interface RelayResult {
  up: number;
  down: number;
  ms: number;
  error: boolean;
}

export interface ListenerBinding {
  view(): ListenerView;
  hooks: DecisionHooks;
  /** A connection became known to JS (its first bytes arrived) / is no longer tracked here. */
  opened(): void;
  finished(): void;
  target(meta: ConnMeta): HostPort;
  relayStarted(meta: ConnMeta): void;
  relayClosed(meta: ConnMeta, r: RelayResult): void;
  l7(socket: Socket, initial: Buffer, meta: ConnMeta): void;
  /**
   * May the I/O threads start this listener's exact-name L4 routes without asking JS? Only when
   * no per-connection decision is left to make: no PROXY protocol in, a firewall that admits
   * everyone. Re-read by NativeIngress.refresh() after every state change.
   */
  fastAllowed(): boolean;
  /** The firewall's address lists to reset deny-listed peers at accept; null: not here. */
  peerLists(): { allow: string[]; deny: string[] } | null;
}

interface Pending {
  binding: ListenerBinding;
  st: AcceptState;
}

export interface NativeIngressOptions {
  threads: number;
  helloTimeoutMs: number;
  onError(message: string): void;
}

export class NativeIngress {
  readonly threads: number;
  private readonly bindings = new Map<number, ListenerBinding>();
  private readonly pending = new Map<number, Pending>();
  /** L4 relays in native code; `meta` is null for a fast-path relay whose route went away. */
  private readonly relays = new Map<number, { binding: ListenerBinding; meta: ConnMeta | null }>();
  private readonly resolver = new ResolveCache();
  private nextListener = 1;
  private nextSeq = 1;
  /** Policy publications waiting for their acks (one per I/O thread). */
  private readonly acks = new Map<number, { left: number; done(): void }>();

  constructor(
    readonly addon: IngressAddon,
    private readonly o: NativeIngressOptions,
  ) {
    this.threads = addon.init(o.threads, o.helloTimeoutMs, (b) => this.onEvents(b));
  }

  /** Starts a listener on a numeric address (port 0 picks one); close() stops accepting. */
  listen(
    ip: string,
    port: number,
    binding: ListenerBinding,
  ): { address: string; port: number; close(): void } {
    const id = this.nextListener++;
    const r = this.addon.listen(ip, port, id, 4096);
    this.bindings.set(id, binding);
    void this.publish(id, binding); // until it is acknowledged connections ask JS: same verdicts
    return {
      ...r,
      close: () => {
        this.addon.unlisten(id);
        this.bindings.delete(id);
      },
    };
  }

  /**
   * Publishes every listener's policy again (fast-path routes, address lists; call after any
   * state change). Resolves once every I/O thread uses it (or after a second, should one be gone).
   */
  async refresh(): Promise<void> {
    await Promise.all([...this.bindings].map(([id, b]) => this.publish(id, b)));
  }

  /** Connections the L4 fast path started without a JS verdict. */
  get fastHits(): number {
    return this.addon.fastHits();
  }

  private publish(id: number, b: ListenerBinding): Promise<void> {
    const seq = this.nextSeq++;
    const acked = new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.acks.delete(seq) && resolve(), 1000);
      timer.unref();
      this.acks.set(seq, {
        left: this.threads,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
    const lists = b.peerLists();
    this.addon.policy(id, this.fastEntries(b), lists?.allow ?? [], lists?.deny ?? [], seq);
    return acked;
  }

  private fastEntries(b: ListenerBinding): (string | number)[] | null {
    if (!b.fastAllowed()) return null;
    const entries: (string | number)[] = [];
    for (const [name, route] of b.view().table.exactRoutes()) {
      if (route.mode !== "l4" || route.sendProxy !== 0) continue;
      let target: HostPort;
      try {
        target = parseBackend(route.backend);
      } catch {
        continue;
      }
      if (isIP(target.host) === 0) continue; // names are resolved by JS (ResolveCache)
      entries.push(name, target.host, target.port, route.timeoutMs);
    }
    return entries.length > 0 ? entries : null;
  }

  /** Connections owned by the I/O threads (accept phase and L4 relays). */
  get active(): number {
    return this.addon.active();
  }

  closeAll(): void {
    this.addon.closeAll();
  }

  private onEvents(buf: Buffer): void {
    decodeEvents(buf, (e) => this.onEvent(e));
  }

  private onEvent(e: IngressEvent): void {
    switch (e.type) {
      case "peek": {
        this.onPeek(e);
        return;
      }
      case "fast": {
        this.onFast(e);
        return;
      }
      case "denied": {
        // Counted the way the verdict path counts a firewall drop.
        const b = this.bindings.get(e.listenerId);
        b?.hooks.admit(normalizeAddress(e.peer), b.view().spec.name);
        return;
      }
      case "policyAck": {
        const a = this.acks.get(e.id);
        if (a !== undefined && --a.left === 0) {
          this.acks.delete(e.id);
          a.done();
        }
        return;
      }
      case "closed": {
        const r = this.relays.get(e.id);
        if (r === undefined) return;
        this.relays.delete(e.id);
        r.binding.finished();
        if (r.meta !== null) r.binding.relayClosed(r.meta, e);
        return;
      }
      case "timeout": {
        const p = this.pending.get(e.id);
        this.pending.delete(e.id);
        if (p !== undefined) p.binding.finished();
        const b = p?.binding ?? this.bindings.get(e.listenerId);
        b?.hooks.outcome(p?.st.listener ?? b.view().spec.name, "hello_timeout");
        return;
      }
      case "gone": {
        // Closed while JS held it: accept phase or backend name resolution.
        const p = this.pending.get(e.id);
        const r = this.relays.get(e.id);
        this.pending.delete(e.id);
        this.relays.delete(e.id);
        if (p !== undefined) p.binding.finished();
        else if (r !== undefined) {
          r.binding.finished();
          if (r.meta !== null)
            r.binding.relayClosed(r.meta, { up: 0, down: 0, ms: 0, error: true });
        }
        return;
      }
    }
  }

  private onPeek(e: Extract<IngressEvent, { type: "peek" }>): void {
    let p = this.pending.get(e.id);
    if (p === undefined) {
      const binding = this.bindings.get(e.listenerId);
      if (binding === undefined) {
        this.addon.verdict(e.id, VERDICT.close);
        return;
      }
      binding.opened();
      const st = beginAccept(
        binding.view(),
        e.peer,
        e.peerPort,
        e.local,
        e.localPort,
        binding.hooks,
      );
      if (st === null) {
        binding.finished();
        this.addon.verdict(e.id, VERDICT.reset);
        return;
      }
      p = { binding, st };
      this.pending.set(e.id, p);
    }
    const d = decideAccept(p.st, e.bytes, p.binding.view(), p.binding.hooks);
    if (d.kind === "more") {
      this.addon.verdict(e.id, VERDICT.more);
      return;
    }
    this.pending.delete(e.id);
    if (d.kind === "route" && d.meta.route.mode === "l7") {
      // The bytes live in the event buffer, which is not reused: no copy needed.
      this.adopt(e.id, p, d.initial, d.meta);
      return;
    }
    if (d.kind === "route") {
      this.startRelay(e.id, p.binding, d.initial, d.meta);
      return;
    }
    p.binding.finished();
    if (d.kind === "reset") this.addon.verdict(e.id, VERDICT.reset);
    else if (d.kind === "alert") this.addon.verdict(e.id, VERDICT.sendClose, d.bytes);
    else this.addon.verdict(e.id, VERDICT.close);
  }

  /** Books a relay the fast path started (its 'closed' event comes later in the same stream). */
  private onFast(e: Extract<IngressEvent, { type: "fast" }>): void {
    const binding = this.bindings.get(e.listenerId);
    if (binding === undefined) return; // listener gone: its relays are not booked any more
    const view = binding.view();
    const route = view.table.lookup(e.sni);
    binding.opened();
    if (route === undefined) {
      // Removed between publishing and this event: keep the connection count right only.
      this.relays.set(e.id, { binding, meta: null });
      return;
    }
    const meta: ConnMeta = {
      listener: view.spec.name,
      clientAddr: normalizeAddress(e.peer),
      clientPort: e.peerPort,
      localAddr: normalizeAddress(e.local),
      localPort: e.localPort,
      sni: e.sni,
      route,
    };
    this.relays.set(e.id, { binding, meta });
    binding.relayStarted(meta);
  }

  private startRelay(id: number, binding: ListenerBinding, initial: Buffer, meta: ConnMeta): void {
    const target = binding.target(meta);
    const hdr = proxyHeaderFor(meta);
    const first = hdr === null ? initial : Buffer.concat([hdr, initial]);
    this.relays.set(id, { binding, meta });
    binding.relayStarted(meta);
    const send = (ip: string) =>
      this.addon.verdict(id, VERDICT.relay, first, ip, target.port, 0, meta.route.timeoutMs);
    if (isIP(target.host) !== 0) {
      send(target.host);
      return;
    }
    const cached = this.resolver.cached(target.host);
    if (cached !== undefined) {
      send(cached);
      return;
    }
    this.resolver.resolve(target.host).then(send, (err: Error) => {
      this.o.onError(`cannot resolve backend ${target.host}: ${err.message}`);
      if (!this.relays.delete(id)) return;
      this.addon.verdict(id, VERDICT.close);
      binding.finished();
      binding.relayClosed(meta, { up: initial.length, down: 0, ms: 0, error: true });
    });
  }

  private adopt(id: number, p: Pending, initial: Buffer, meta: ConnMeta): void {
    const fd = this.addon.adopt(id);
    if (fd < 0) {
      // The I/O thread closed it first (shutdown); its "gone" event is on the way.
      p.binding.finished();
      return;
    }
    let sock: Socket;
    try {
      sock = socketFromFd(fd);
    } catch (err) {
      this.o.onError(`cannot adopt a handed-over connection: ${(err as Error).message}`);
      closeSync(fd);
      p.binding.finished();
      return;
    }
    // The engine tracks the socket from here (active gauge, shutdown): this side lets go.
    p.binding.finished();
    p.binding.l7(sock, initial, meta);
  }
}

let shared: NativeIngress | undefined;

/** The process's native ingress, created on first use (later options are ignored). */
export function sharedIngress(addon: IngressAddon, o: NativeIngressOptions): NativeIngress {
  shared ??= new NativeIngress(addon, o);
  return shared;
}
