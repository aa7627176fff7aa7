// JS side of the native ingress: answers the I/O threads' peek events with verdicts (using the
// same decideAccept as the node:net path), starts L4 relays in native code, turns L7 connections
// into net.Sockets from the handed-over descriptors, and books relay results into metrics.
// One instance per process (the addon has one set of I/O threads); listeners of any engine bind
// to it with their own ListenerBinding.
import { closeSync } from "node:fs";
import { isIP, Socket } from "node:net";
import {
  type AcceptState,
  beginAccept,
  type DecisionHooks,
  decideAccept,
  type ListenerView,
} from "../proxy/accept.ts";
import type { HostPort } from "../proxy/backend-addr.ts";
import type { ConnMeta } from "../proxy/conn-meta.ts";
import { proxyHeaderFor } from "../proxy/l4-splice.ts";
import { decodeEvents, type IngressEvent } from "./events.ts";
import type { IngressAddon } from "./native-io.ts";
import { ResolveCache } from "./resolve-cache.ts";

/** Verdict codes understood by native/relay.cc. */
export const VERDICT = { more: 0, reset: 1, sendClose: 2, relay: 3, handoff: 4, close: 5 } as const;

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
  private readonly handoffs = new Map<number, { p: Pending; initial: Buffer; meta: ConnMeta }>();
  private readonly relays = new Map<number, { binding: ListenerBinding; meta: ConnMeta }>();
  private readonly resolver = new ResolveCache();
  private nextListener = 1;

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
    return {
      ...r,
      close: () => {
        this.addon.unlisten(id);
        this.bindings.delete(id);
      },
    };
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
      case "closed": {
        const r = this.relays.get(e.id);
        if (r === undefined) return;
        this.relays.delete(e.id);
        r.binding.finished();
        r.binding.relayClosed(r.meta, e);
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
        // Closed while JS held it: accept phase, backend name resolution or handoff in flight.
        const p = this.pending.get(e.id) ?? this.handoffs.get(e.id)?.p;
        const r = this.relays.get(e.id);
        this.pending.delete(e.id);
        this.handoffs.delete(e.id);
        this.relays.delete(e.id);
        if (p !== undefined) p.binding.finished();
        else if (r !== undefined) {
          r.binding.finished();
          r.binding.relayClosed(r.meta, { up: 0, down: 0, ms: 0, error: true });
        }
        return;
      }
      case "handed": {
        this.onHanded(e.id, e.fd);
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
      this.handoffs.set(e.id, { p, initial: d.initial, meta: d.meta });
      this.addon.verdict(e.id, VERDICT.handoff);
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

  private onHanded(id: number, fd: number): void {
    const h = this.handoffs.get(id);
    this.handoffs.delete(id);
    if (h === undefined) {
      closeSync(fd);
      return;
    }
    let sock: Socket;
    try {
      sock = new Socket({ fd, readable: true, writable: true });
    } catch (err) {
      this.o.onError(`cannot adopt a handed-over connection: ${(err as Error).message}`);
      closeSync(fd);
      h.p.binding.finished();
      return;
    }
    // The engine tracks the socket from here (active gauge, shutdown): this side lets go.
    h.p.binding.finished();
    h.p.binding.l7(sock, h.initial, h.meta);
  }
}

let shared: NativeIngress | undefined;

/** The process's native ingress, created on first use (later options are ignored). */
export function sharedIngress(addon: IngressAddon, o: NativeIngressOptions): NativeIngress {
  shared ??= new NativeIngress(addon, o);
  return shared;
}
