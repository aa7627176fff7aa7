// Conversion between the TOML-shaped seed ([[listeners]], [[listeners.routes]], [firewall]) and
// the runtime ProxyState, both directions (seeding an empty DB, ExportConfig).
import { stringify } from "smol-toml";
import type { z } from "zod";
import { type listenerSchema, routeSchema, type SeedConfig, seedSchema } from "../config.ts";
import type { FirewallRules } from "../firewall/firewall.ts";
import { normalizeHostname } from "./hostname.ts";
import type { ListenerSpec, ProxyState, RouteSpec } from "./types.ts";

export type RouteInput = z.input<typeof routeSchema>;
type ListenerSeed = z.infer<typeof listenerSchema>;
type RouteSeed = z.infer<typeof routeSchema>;

export function routeFromSeed(listener: string, r: RouteSeed): RouteSpec {
  return {
    listener,
    hostname: normalizeHostname(r.hostname),
    backend: r.backend,
    mode: r.mode,
    tlsCert: r.tls_cert ?? null,
    tlsKey: r.tls_key ?? null,
    minTls: r.min_tls,
    backendTls: r.backend_tls,
    backendCa: r.backend_ca ?? null,
    backendH2: r.backend_h2,
    sendProxy: r.send_proxy,
    timeoutMs: r.timeout_ms,
    healthPath: r.health_path ?? null,
  };
}

export function routeToSeed(r: RouteSpec): RouteSeed {
  const out: RouteSeed = {
    hostname: r.hostname,
    backend: r.backend,
    mode: r.mode,
    min_tls: r.minTls,
    backend_tls: r.backendTls,
    backend_h2: r.backendH2,
    send_proxy: r.sendProxy,
    timeout_ms: r.timeoutMs,
  };
  if (r.tlsCert !== null) out.tls_cert = r.tlsCert;
  if (r.tlsKey !== null) out.tls_key = r.tlsKey;
  if (r.backendCa !== null) out.backend_ca = r.backendCa;
  if (r.healthPath !== null) out.health_path = r.healthPath;
  return out;
}

export function firewallFromSeed(f: SeedConfig["firewall"]): FirewallRules {
  return {
    allow: f.allow,
    deny: f.deny,
    blockedCountries: f.blocked_countries.map((c) => c.toUpperCase()),
    geoipDb: f.geoip_db ?? null,
    connRate: f.conn_rate ?? null,
    requestRate: f.request_rate ?? null,
  };
}

export function stateFromSeed(seed: SeedConfig): ProxyState {
  const listeners: ListenerSpec[] = seed.listeners.map((l: ListenerSeed) => ({
    name: l.name,
    addr: l.addr,
    proxyProtocol: l.proxy_protocol,
    trustedProxies: l.trusted_proxies,
  }));
  const routes = seed.listeners.flatMap((l) => l.routes.map((r) => routeFromSeed(l.name, r)));
  return { listeners, routes, firewall: firewallFromSeed(seed.firewall) };
}

export function stateToSeed(s: ProxyState): SeedConfig {
  const fw = s.firewall;
  const firewall: SeedConfig["firewall"] = {
    allow: fw.allow,
    deny: fw.deny,
    blocked_countries: fw.blockedCountries,
  };
  if (fw.geoipDb !== null) firewall.geoip_db = fw.geoipDb;
  if (fw.connRate !== null) firewall.conn_rate = fw.connRate;
  if (fw.requestRate !== null) firewall.request_rate = fw.requestRate;
  return {
    listeners: s.listeners.map((l) => ({
      name: l.name,
      addr: l.addr,
      proxy_protocol: l.proxyProtocol,
      trusted_proxies: l.trustedProxies,
      routes: s.routes.filter((r) => r.listener === l.name).map(routeToSeed),
    })),
    firewall,
  };
}

export function exportToml(s: ProxyState): string {
  return stringify(stateToSeed(s));
}

/** Parse and validate a seed document (TOML text already parsed to an object). */
export function parseSeed(
  doc: unknown,
): { ok: true; seed: SeedConfig } | { ok: false; message: string } {
  const r = seedSchema.safeParse(doc);
  if (r.success) return { ok: true, seed: r.data };
  return {
    ok: false,
    message: r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "),
  };
}

export function parseRoute(
  input: unknown,
): { ok: true; route: RouteSeed } | { ok: false; message: string } {
  const r = routeSchema.safeParse(input);
  if (r.success) return { ok: true, route: r.data };
  return {
    ok: false,
    message: r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "),
  };
}
