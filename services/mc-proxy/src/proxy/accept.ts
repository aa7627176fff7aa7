// The first phase of every client connection: optional PROXY header (trusted sources only),
// firewall verdict, ClientHello peek, SNI routing, then hand-off to L4 splice or L7 termination.
// beginAccept/decideAccept are the pure "given the bytes so far, what next" logic shared by the
// node:net path (acceptConnection below) and the native ingress (src/io/native-ingress.ts).
import type { BlockList, Socket } from "node:net";
import { parseClientHello } from "../protocol/client-hello.ts";
import { normalizeAddress, parseProxyHeader } from "../protocol/proxy-header.ts";
import type { ListenerSpec, RouteSpec } from "../state/types.ts";
import type { ConnMeta } from "./conn-meta.ts";
import type { RouteTable } from "./route-table.ts";

export interface ListenerView {
  spec: ListenerSpec;
  table: RouteTable<RouteSpec>;
  trusted: BlockList;
}

export interface DecisionHooks {
  /** Firewall verdict; false → the socket is reset. */
  admit(clientAddr: string, listener: string): boolean;
  unknownSni(listener: string, sni: string | undefined): void;
  outcome(listener: string, outcome: string): void;
}

export interface AcceptHooks extends DecisionHooks {
  helloTimeoutMs: number;
  l4(socket: Socket, initial: Buffer, meta: ConnMeta): void;
  l7(socket: Socket, initial: Buffer, meta: ConnMeta): void;
}

/** Per-connection progress of the accept phase. */
export interface AcceptState {
  listener: string;
  phase: "proxy" | "hello";
  /** bytes of an accepted PROXY header at the start of the stream */
  consumed: number;
  clientAddr: string;
  clientPort: number;
  localAddr: string;
  localPort: number;
}

export type Decision =
  | { kind: "more" }
  | { kind: "reset" }
  | { kind: "close" }
  | { kind: "alert"; bytes: Buffer }
  | { kind: "route"; initial: Buffer; meta: ConnMeta };

// TLS alert: fatal, unrecognized_name (112).
export const ALERT_UNRECOGNIZED_NAME = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x70]);

/** Starts the accept phase of a new connection; null when the firewall refuses the peer. */
export function beginAccept(
  v: ListenerView,
  peerAddr: string,
  peerPort: number,
  localAddr: string,
  localPort: number,
  hooks: DecisionHooks,
): AcceptState | null {
  const peer = normalizeAddress(peerAddr);
  const st: AcceptState = {
    listener: v.spec.name,
    phase: "hello",
    consumed: 0,
    clientAddr: peer,
    clientPort: peerPort,
    localAddr: normalizeAddress(localAddr),
    localPort,
  };
  if (v.spec.proxyProtocol && v.trusted.check(peer, peer.includes(":") ? "ipv6" : "ipv4"))
    st.phase = "proxy";
  else if (!hooks.admit(peer, st.listener)) return null;
  return st;
}

/** Decides what to do with a connection given every byte it has sent so far. */
export function decideAccept(
  st: AcceptState,
  buf: Buffer,
  v: ListenerView,
  hooks: DecisionHooks,
): Decision {
  const name = st.listener;
  if (st.phase === "proxy") {
    const r = parseProxyHeader(buf);
    if (r.kind === "need_more") return { kind: "more" };
    if (r.kind === "error") {
      hooks.outcome(name, "bad_proxy_header");
      return { kind: "close" };
    }
    if (r.addresses !== undefined) {
      st.clientAddr = normalizeAddress(r.addresses.srcAddr);
      st.clientPort = r.addresses.srcPort;
      st.localAddr = normalizeAddress(r.addresses.dstAddr);
      st.localPort = r.addresses.dstPort;
    }
    st.consumed = r.consumed;
    st.phase = "hello";
    if (!hooks.admit(st.clientAddr, name)) return { kind: "reset" };
  }
  const rest = st.consumed === 0 ? buf : buf.subarray(st.consumed);
  if (rest.length === 0) return { kind: "more" };
  const h = parseClientHello(rest);
  if (h.kind === "need_more") return { kind: "more" };
  if (h.kind === "error") {
    hooks.outcome(name, `hello_${h.code}`);
    return { kind: "close" };
  }
  const route = v.table.lookup(h.sni);
  if (route === undefined) {
    hooks.unknownSni(name, h.sni);
    return { kind: "alert", bytes: ALERT_UNRECOGNIZED_NAME };
  }
  const meta: ConnMeta = {
    listener: name,
    clientAddr: st.clientAddr,
    clientPort: st.clientPort,
    localAddr: st.localAddr,
    localPort: st.localPort,
    sni: h.sni,
    route,
  };
  return { kind: "route", initial: rest, meta };
}

/** The node:net accept path: reads the socket until decideAccept has an answer. */
export function acceptConnection(
  view: () => ListenerView,
  socket: Socket,
  hooks: AcceptHooks,
): void {
  const st = beginAccept(
    view(),
    socket.remoteAddress ?? "",
    socket.remotePort ?? 0,
    socket.localAddress ?? "",
    socket.localPort ?? 0,
    hooks,
  );
  if (st === null) {
    socket.resetAndDestroy();
    return;
  }
  let buf: Buffer = Buffer.alloc(0);
  const timer = setTimeout(() => {
    hooks.outcome(st.listener, "hello_timeout");
    socket.destroy();
  }, hooks.helloTimeoutMs);
  const onData = (chunk: Buffer) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    const d = decideAccept(st, buf, view(), hooks);
    if (d.kind === "more") return;
    clearTimeout(timer);
    socket.removeListener("data", onData);
    socket.pause();
    if (d.kind === "reset") socket.resetAndDestroy();
    else if (d.kind === "close") socket.destroy();
    else if (d.kind === "alert") socket.end(d.bytes);
    else if (d.meta.route.mode === "l4") hooks.l4(socket, d.initial, d.meta);
    else hooks.l7(socket, d.initial, d.meta);
  };
  socket.on("data", onData);
  socket.on("error", () => {
    clearTimeout(timer);
    socket.destroy();
  });
}
