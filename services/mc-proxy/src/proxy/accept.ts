// The first phase of every client connection: optional PROXY header (trusted sources only),
// firewall verdict, ClientHello peek, SNI routing, then hand-off to L4 splice or L7 termination.
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

export interface AcceptHooks {
  helloTimeoutMs: number;
  /** Firewall verdict; false → the socket is reset. */
  admit(clientAddr: string, listener: string): boolean;
  unknownSni(listener: string, sni: string | undefined): void;
  l4(socket: Socket, initial: Buffer, meta: ConnMeta): void;
  l7(socket: Socket, initial: Buffer, meta: ConnMeta): void;
  outcome(listener: string, outcome: string): void;
}

// TLS alert: fatal, unrecognized_name (112).
const ALERT_UNRECOGNIZED_NAME = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x70]);

export function acceptConnection(
  view: () => ListenerView,
  socket: Socket,
  hooks: AcceptHooks,
): void {
  const name = view().spec.name;
  const peer = normalizeAddress(socket.remoteAddress ?? "");
  let clientAddr = peer;
  let clientPort = socket.remotePort ?? 0;
  let localAddr = normalizeAddress(socket.localAddress ?? "");
  let localPort = socket.localPort ?? 0;
  const v = view();
  let phase: "proxy" | "hello" = "hello";
  if (v.spec.proxyProtocol && v.trusted.check(peer, peer.includes(":") ? "ipv6" : "ipv4"))
    phase = "proxy";
  else if (!hooks.admit(clientAddr, name)) {
    socket.resetAndDestroy();
    return;
  }
  let buf: Buffer = Buffer.alloc(0);
  const timer = setTimeout(() => {
    hooks.outcome(name, "hello_timeout");
    socket.destroy();
  }, hooks.helloTimeoutMs);
  const finish = () => {
    clearTimeout(timer);
    socket.removeListener("data", onData);
    socket.pause();
  };
  const onData = (chunk: Buffer) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    if (phase === "proxy") {
      const r = parseProxyHeader(buf);
      if (r.kind === "need_more") return;
      if (r.kind === "error") {
        finish();
        hooks.outcome(name, "bad_proxy_header");
        socket.destroy();
        return;
      }
      if (r.addresses !== undefined) {
        clientAddr = normalizeAddress(r.addresses.srcAddr);
        clientPort = r.addresses.srcPort;
        localAddr = normalizeAddress(r.addresses.dstAddr);
        localPort = r.addresses.dstPort;
      }
      buf = buf.subarray(r.consumed);
      phase = "hello";
      if (!hooks.admit(clientAddr, name)) {
        finish();
        socket.resetAndDestroy();
        return;
      }
      if (buf.length === 0) return;
    }
    const h = parseClientHello(buf);
    if (h.kind === "need_more") return;
    finish();
    if (h.kind === "error") {
      hooks.outcome(name, `hello_${h.code}`);
      socket.destroy();
      return;
    }
    const route = view().table.lookup(h.sni);
    if (route === undefined) {
      hooks.unknownSni(name, h.sni);
      socket.end(ALERT_UNRECOGNIZED_NAME);
      return;
    }
    const meta: ConnMeta = {
      listener: name,
      clientAddr,
      clientPort,
      localAddr,
      localPort,
      sni: h.sni,
      route,
    };
    if (route.mode === "l4") hooks.l4(socket, buf, meta);
    else hooks.l7(socket, buf, meta);
  };
  socket.on("data", onData);
  socket.on("error", () => {
    clearTimeout(timer);
    socket.destroy();
  });
}
