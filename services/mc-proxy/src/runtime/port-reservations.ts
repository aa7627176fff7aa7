// Cluster mode with the native ingress: every worker binds its own SO_REUSEPORT sockets, so a
// listener on port 0 must get one concrete port for all of them. The primary binds (without
// listening) a SO_REUSEPORT socket per such listener, keeps it while the listener exists, and
// sends the workers the listener with that port filled in.
import { isIP } from "node:net";
import { parseListenAddr } from "@metacircular/mcdsl/config";
import type { IngressAddon } from "../io/native-io.ts";
import type { ProxyState } from "../state/types.ts";

function joinAddr(host: string, port: number): string {
  if (host === "") return `:${port}`;
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

export class PortReservations {
  private readonly held = new Map<string, { fd: number; addr: string }>();

  constructor(private readonly addon: IngressAddon) {}

  /** The state with every port-0 listener on a numeric (or empty) host pinned to a port. */
  pin(state: ProxyState): ProxyState {
    const keep = new Set<string>();
    const listeners = state.listeners.map((spec) => {
      const { host, port } = parseListenAddr(spec.addr);
      if (port !== 0 || (host !== "" && isIP(host) === 0)) return spec;
      const key = `${spec.name}|${spec.addr}`;
      keep.add(key);
      let r = this.held.get(key);
      if (r === undefined) {
        const res = this.reserve(host);
        r = { fd: res.fd, addr: joinAddr(host, res.port) };
        this.held.set(key, r);
      }
      return { ...spec, addr: r.addr };
    });
    for (const [key, r] of this.held) {
      if (keep.has(key)) continue;
      this.addon.release(r.fd);
      this.held.delete(key);
    }
    return { ...state, listeners };
  }

  private reserve(host: string): { fd: number; port: number } {
    if (host !== "") return this.addon.reserve(host, 0);
    try {
      return this.addon.reserve("::", 0);
    } catch {
      return this.addon.reserve("0.0.0.0", 0);
    }
  }

  releaseAll(): void {
    for (const r of this.held.values()) this.addon.release(r.fd);
    this.held.clear();
  }
}
