// The proxy's runtime state: listeners, their routes and the firewall rules. Persisted in SQLite
// by the primary process and pushed to the engine (in-process or cluster workers) on every change.
import type { FirewallRules } from "../firewall/firewall.ts";

export type RouteMode = "l4" | "l7";
export type TlsVersion = "1.2" | "1.3";

export interface ListenerSpec {
  name: string;
  /** "host:port", ":port" or "[v6]:port" */
  addr: string;
  /** Expect a PROXY v1/v2 header from sources in trustedProxies. */
  proxyProtocol: boolean;
  trustedProxies: string[];
}

export interface RouteSpec {
  listener: string;
  /** Lower-case hostname, or "*.example.com" for one-label wildcards. */
  hostname: string;
  /** "host:port" */
  backend: string;
  mode: RouteMode;
  /** L7: PEM file paths of the certificate served for this hostname. */
  tlsCert: string | null;
  tlsKey: string | null;
  /** L7: minimum TLS version offered to clients. */
  minTls: TlsVersion;
  /** L7: re-encrypt to the backend (verifying against backendCa when set, else system roots). */
  backendTls: boolean;
  backendCa: string | null;
  /** L7: speak HTTP/2 to the backend for every request (gRPC requests always use HTTP/2). */
  backendH2: boolean;
  /** Send a PROXY header of this version to the backend (0 = none). */
  sendProxy: 0 | 1 | 2;
  /** L7: per-request timeout; L4: idle timeout. 0 = none. */
  timeoutMs: number;
  /** L7: optional HTTP path probed periodically; failing backends answer 503 without a dial. */
  healthPath: string | null;
}

export interface ProxyState {
  listeners: ListenerSpec[];
  routes: RouteSpec[];
  firewall: FirewallRules;
}

export const ROUTE_DEFAULTS: Omit<RouteSpec, "listener" | "hostname" | "backend" | "mode"> = {
  tlsCert: null,
  tlsKey: null,
  minTls: "1.3",
  backendTls: false,
  backendCa: null,
  backendH2: false,
  sendProxy: 0,
  timeoutMs: 60_000,
  healthPath: null,
};
