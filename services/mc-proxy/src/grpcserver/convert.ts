// Conversions between protobuf messages and the proxy's state types.
import { create } from "@bufbuild/protobuf";
import { AppError } from "@metacircular/mcdsl/errors";
import {
  type Firewall,
  FirewallRuleKind,
  FirewallSchema,
  type Listener,
  ListenerSchema,
  type Route,
  RouteMode,
  RouteSchema,
} from "@metacircular/proto/mcproxy/v1/admin_pb";
import type { FirewallRules } from "../firewall/firewall.ts";
import type { RuleKind } from "../state/store.ts";
import type { ListenerSpec, RouteSpec } from "../state/types.ts";

export function routeToProto(r: RouteSpec): Route {
  return create(RouteSchema, {
    listener: r.listener,
    hostname: r.hostname,
    backend: r.backend,
    mode: r.mode === "l4" ? RouteMode.L4 : RouteMode.L7,
    tlsCert: r.tlsCert ?? "",
    tlsKey: r.tlsKey ?? "",
    minTls: r.minTls,
    backendTls: r.backendTls,
    backendCa: r.backendCa ?? "",
    backendH2: r.backendH2,
    sendProxy: r.sendProxy,
    timeoutMs: r.timeoutMs,
    healthPath: r.healthPath ?? "",
  });
}

/** Proto route → TOML-shaped object validated by the route schema (empty strings = unset). */
export function routeInput(r: Route): Record<string, unknown> {
  if (r.mode === RouteMode.UNSPECIFIED)
    throw AppError.badRequest("invalid_route", "mode must be L4 or L7");
  const out: Record<string, unknown> = {
    hostname: r.hostname,
    backend: r.backend,
    mode: r.mode === RouteMode.L4 ? "l4" : "l7",
    backend_tls: r.backendTls,
    backend_h2: r.backendH2,
    send_proxy: r.sendProxy,
  };
  if (r.tlsCert) out.tls_cert = r.tlsCert;
  if (r.tlsKey) out.tls_key = r.tlsKey;
  if (r.minTls) out.min_tls = r.minTls;
  if (r.backendCa) out.backend_ca = r.backendCa;
  if (r.timeoutMs) out.timeout_ms = r.timeoutMs;
  if (r.healthPath) out.health_path = r.healthPath;
  return out;
}

export function listenerToProto(l: ListenerSpec, bound: string, routeCount: number): Listener {
  return create(ListenerSchema, {
    name: l.name,
    addr: l.addr,
    proxyProtocol: l.proxyProtocol,
    trustedProxies: l.trustedProxies,
    boundAddr: bound,
    routeCount,
  });
}

export function listenerFromProto(l: Listener): ListenerSpec {
  return {
    name: l.name,
    addr: l.addr,
    proxyProtocol: l.proxyProtocol,
    trustedProxies: [...l.trustedProxies],
  };
}

export function firewallToProto(f: FirewallRules): Firewall {
  return create(FirewallSchema, {
    allow: f.allow,
    deny: f.deny,
    blockedCountries: f.blockedCountries,
    geoipDb: f.geoipDb ?? "",
    connRate: f.connRate ?? undefined,
    requestRate: f.requestRate ?? undefined,
  });
}

export function firewallFromProto(f: Firewall | undefined): FirewallRules {
  return {
    allow: [...(f?.allow ?? [])],
    deny: [...(f?.deny ?? [])],
    blockedCountries: [...(f?.blockedCountries ?? [])].map((c) => c.toUpperCase()),
    geoipDb: f?.geoipDb ? f.geoipDb : null,
    connRate: f?.connRate ? { rate: f.connRate.rate, burst: f.connRate.burst } : null,
    requestRate: f?.requestRate ? { rate: f.requestRate.rate, burst: f.requestRate.burst } : null,
  };
}

export function ruleKind(k: FirewallRuleKind): RuleKind {
  if (k === FirewallRuleKind.ALLOW) return "allow";
  if (k === FirewallRuleKind.DENY) return "deny";
  if (k === FirewallRuleKind.COUNTRY) return "country";
  throw AppError.badRequest("invalid_firewall_rule", "kind must be ALLOW, DENY or COUNTRY");
}
