// The single writer of proxy state: validates admin changes, writes them through to SQLite, then
// pushes the new whole state to the runtime (in-process engine or cluster workers).
import { existsSync, readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import { AppError } from "@metacircular/mcdsl/errors";
import type { Logger } from "pino";
import { parse as parseToml } from "smol-toml";
import { type FirewallRules, validateNetwork } from "../firewall/firewall.ts";
import { parseBackend } from "./backend-addr.ts";
import { exportToml, parseRoute, parseSeed, routeFromSeed, stateFromSeed } from "./seed.ts";
import { NotFoundError, type RuleKind, type StateStore } from "./store.ts";
import type { ListenerSpec, ProxyState, RouteSpec } from "./types.ts";

export interface RuntimeStatus {
  addresses: Record<string, string>;
  connections: number;
  workers: number;
}

export interface Runtime {
  apply(state: ProxyState): Promise<void>;
  status(): Promise<RuntimeStatus>;
}

export class Controller {
  readonly startedAt = new Date();

  constructor(
    private readonly store: StateStore,
    private readonly runtime: Runtime,
    private readonly logger: Logger,
  ) {}

  state(): ProxyState {
    return this.store.load();
  }

  async push(): Promise<void> {
    await this.runtime.apply(this.store.load());
  }

  status(): Promise<RuntimeStatus> {
    return this.runtime.status();
  }

  /** Idempotent upsert. `input` uses the TOML field names (snake_case). */
  async addRoute(
    listener: string,
    input: Record<string, unknown>,
  ): Promise<{ route: RouteSpec; replaced: boolean }> {
    const parsed = parseRoute(input);
    if (!parsed.ok) throw AppError.badRequest("invalid_route", parsed.message);
    try {
      parseBackend(parsed.route.backend);
    } catch (e) {
      throw AppError.badRequest("invalid_route", (e as Error).message);
    }
    const route = routeFromSeed(listener, parsed.route);
    checkFiles(route);
    let replaced: boolean;
    try {
      replaced = this.store.upsertRoute(route);
    } catch (e) {
      if (e instanceof NotFoundError) throw AppError.notFound("listener_not_found", e.message);
      throw e;
    }
    this.logger.info(
      { listener, hostname: route.hostname, backend: route.backend, mode: route.mode, replaced },
      "route saved",
    );
    await this.push();
    return { route, replaced };
  }

  async removeRoute(listener: string, hostname: string): Promise<void> {
    if (!this.store.removeRoute(listener, hostname.toLowerCase())) {
      throw AppError.notFound(
        "route_not_found",
        `no route for ${hostname} on listener ${listener}`,
      );
    }
    this.logger.info({ listener, hostname }, "route removed");
    await this.push();
  }

  async addListener(l: ListenerSpec): Promise<void> {
    if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(l.name))
      throw AppError.badRequest("invalid_listener", "bad listener name");
    const seed = parseSeed({
      listeners: [
        {
          name: l.name,
          addr: l.addr,
          proxy_protocol: l.proxyProtocol,
          trusted_proxies: l.trustedProxies,
        },
      ],
    });
    if (!seed.ok) throw AppError.badRequest("invalid_listener", seed.message);
    for (const t of l.trustedProxies) {
      const bad = validateNetwork(t);
      if (bad !== null) throw AppError.badRequest("invalid_listener", bad);
    }
    this.store.upsertListener(l);
    try {
      await this.push();
    } catch (e) {
      this.store.removeListener(l.name);
      await this.push();
      throw AppError.badRequest(
        "listen_failed",
        `cannot listen on ${l.addr}: ${(e as Error).message}`,
      );
    }
  }

  async removeListener(name: string): Promise<void> {
    if (!this.store.removeListener(name))
      throw AppError.notFound("listener_not_found", `no listener ${name}`);
    await this.push();
  }

  async setFirewall(f: FirewallRules): Promise<FirewallRules> {
    validateFirewall(f);
    this.store.setFirewall(f);
    await this.push();
    return this.store.loadFirewall();
  }

  async addRule(kind: RuleKind, value: string): Promise<FirewallRules> {
    const v = kind === "country" ? value.toUpperCase() : value.trim();
    validateFirewall({ ...this.store.loadFirewall(), [kindField(kind)]: [v] });
    this.store.addRule(kind, v);
    await this.push();
    return this.store.loadFirewall();
  }

  async removeRule(kind: RuleKind, value: string): Promise<FirewallRules> {
    const v = kind === "country" ? value.toUpperCase() : value.trim();
    if (!this.store.removeRule(kind, v))
      throw AppError.notFound("rule_not_found", `no ${kind} rule ${value}`);
    await this.push();
    return this.store.loadFirewall();
  }

  exportToml(): string {
    return exportToml(this.store.load());
  }

  /** Replace the whole state with a seed document (TOML text). */
  async seed(toml: string): Promise<ProxyState> {
    let doc: unknown;
    try {
      doc = parseToml(toml);
    } catch (e) {
      throw AppError.badRequest("invalid_toml", (e as Error).message.split("\n")[0] ?? "bad TOML");
    }
    const parsed = parseSeed(doc);
    if (!parsed.ok) throw AppError.badRequest("invalid_seed", parsed.message);
    const state = stateFromSeed(parsed.seed);
    validateFirewall(state.firewall);
    const before = this.store.load();
    this.store.replaceAll(state);
    try {
      await this.push();
    } catch (e) {
      this.store.replaceAll(before);
      await this.push();
      throw AppError.badRequest("apply_failed", (e as Error).message);
    }
    return state;
  }
}

/** Refuse L7 routes whose certificate, key or backend CA cannot be loaded now. */
function checkFiles(r: RouteSpec): void {
  if (r.mode !== "l7") return;
  try {
    createSecureContext({ cert: readFileSync(r.tlsCert ?? ""), key: readFileSync(r.tlsKey ?? "") });
    if (r.backendCa !== null) createSecureContext({ ca: readFileSync(r.backendCa) });
  } catch (e) {
    throw AppError.badRequest("invalid_route", `cannot load TLS files: ${(e as Error).message}`);
  }
}

function kindField(kind: RuleKind): keyof FirewallRules {
  return kind === "allow" ? "allow" : kind === "deny" ? "deny" : "blockedCountries";
}

function validateFirewall(f: FirewallRules): void {
  for (const v of [...f.allow, ...f.deny]) {
    const bad = validateNetwork(v);
    if (bad !== null) throw AppError.badRequest("invalid_firewall_rule", bad);
  }
  for (const c of f.blockedCountries) {
    if (!/^[A-Z]{2}$/i.test(c))
      throw AppError.badRequest("invalid_firewall_rule", `not a country code: ${c}`);
  }
  if (f.geoipDb !== null && !existsSync(f.geoipDb)) {
    throw AppError.badRequest(
      "invalid_firewall_rule",
      `GeoIP database ${f.geoipDb} does not exist`,
    );
  }
  for (const r of [f.connRate, f.requestRate]) {
    if (r !== null && (!(r.rate > 0) || !(r.burst >= 1))) {
      throw AppError.badRequest(
        "invalid_firewall_rule",
        "rate limits need rate > 0 and burst >= 1",
      );
    }
  }
}
