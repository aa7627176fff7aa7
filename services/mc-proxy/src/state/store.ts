// Write-through persistence of listeners, routes and firewall rules in SQLite. Every mutation is
// one transaction; load() returns the whole state the engine applies.
import type { Database } from "@metacircular/mcdsl/db";
import { EMPTY_RULES, type FirewallRules } from "../firewall/firewall.ts";
import type { RateSpec } from "../firewall/token-bucket.ts";
import type { ListenerSpec, ProxyState, RouteSpec } from "./types.ts";

export type RuleKind = "allow" | "deny" | "country";

interface RouteRow {
  listener: string;
  hostname: string;
  backend: string;
  mode: "l4" | "l7";
  tls_cert: string | null;
  tls_key: string | null;
  min_tls: "1.2" | "1.3";
  backend_tls: number;
  backend_ca: string | null;
  backend_h2: number;
  send_proxy: 0 | 1 | 2;
  timeout_ms: number;
  health_path: string | null;
}

export class NotFoundError extends Error {}

export class StateStore {
  constructor(private readonly db: Database) {}

  isEmpty(): boolean {
    const q = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    return (
      q("SELECT count(*) AS n FROM listeners") === 0 &&
      q("SELECT count(*) AS n FROM firewall_rules") === 0 &&
      q("SELECT count(*) AS n FROM firewall_settings") === 0
    );
  }

  load(): ProxyState {
    const listeners = (
      this.db
        .prepare("SELECT name, addr, proxy_protocol, trusted_proxies FROM listeners ORDER BY id")
        .all() as {
        name: string;
        addr: string;
        proxy_protocol: number;
        trusted_proxies: string;
      }[]
    ).map(
      (l): ListenerSpec => ({
        name: l.name,
        addr: l.addr,
        proxyProtocol: l.proxy_protocol === 1,
        trustedProxies: JSON.parse(l.trusted_proxies) as string[],
      }),
    );
    const routes = (
      this.db
        .prepare(
          `SELECT l.name AS listener, r.hostname, r.backend, r.mode, r.tls_cert, r.tls_key, r.min_tls, r.backend_tls,
                  r.backend_ca, r.backend_h2, r.send_proxy, r.timeout_ms, r.health_path
           FROM routes r JOIN listeners l ON l.id = r.listener_id ORDER BY l.id, r.hostname`,
        )
        .all() as RouteRow[]
    ).map(
      (r): RouteSpec => ({
        listener: r.listener,
        hostname: r.hostname,
        backend: r.backend,
        mode: r.mode,
        tlsCert: r.tls_cert,
        tlsKey: r.tls_key,
        minTls: r.min_tls,
        backendTls: r.backend_tls === 1,
        backendCa: r.backend_ca,
        backendH2: r.backend_h2 === 1,
        sendProxy: r.send_proxy,
        timeoutMs: r.timeout_ms,
        healthPath: r.health_path,
      }),
    );
    return { listeners, routes, firewall: this.loadFirewall() };
  }

  loadFirewall(): FirewallRules {
    const rules = this.db
      .prepare("SELECT kind, value FROM firewall_rules ORDER BY kind, value")
      .all() as {
      kind: RuleKind;
      value: string;
    }[];
    const settings = new Map(
      (
        this.db.prepare("SELECT key, value FROM firewall_settings").all() as {
          key: string;
          value: string;
        }[]
      ).map((s) => [s.key, JSON.parse(s.value) as unknown]),
    );
    return {
      ...EMPTY_RULES,
      allow: rules.filter((r) => r.kind === "allow").map((r) => r.value),
      deny: rules.filter((r) => r.kind === "deny").map((r) => r.value),
      blockedCountries: rules.filter((r) => r.kind === "country").map((r) => r.value),
      geoipDb: (settings.get("geoip_db") as string | undefined) ?? null,
      connRate: (settings.get("conn_rate") as RateSpec | undefined) ?? null,
      requestRate: (settings.get("request_rate") as RateSpec | undefined) ?? null,
    };
  }

  /** Replace everything (seeding, SeedConfig). */
  replaceAll(s: ProxyState): void {
    this.db.transaction(() => {
      this.db.exec(
        "DELETE FROM routes; DELETE FROM listeners; DELETE FROM firewall_rules; DELETE FROM firewall_settings;",
      );
      for (const l of s.listeners) this.upsertListener(l);
      for (const r of s.routes) this.upsertRoute(r);
      this.writeFirewall(s.firewall);
    })();
  }

  upsertListener(l: ListenerSpec): void {
    this.db
      .prepare(
        `INSERT INTO listeners (name, addr, proxy_protocol, trusted_proxies) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET addr = excluded.addr, proxy_protocol = excluded.proxy_protocol,
           trusted_proxies = excluded.trusted_proxies`,
      )
      .run(l.name, l.addr, l.proxyProtocol ? 1 : 0, JSON.stringify(l.trustedProxies));
  }

  removeListener(name: string): boolean {
    return this.db.prepare("DELETE FROM listeners WHERE name = ?").run(name).changes > 0;
  }

  /** Insert or replace; returns true when a route for (listener, hostname) already existed. */
  upsertRoute(r: RouteSpec): boolean {
    return this.db.transaction(() => {
      const l = this.db.prepare("SELECT id FROM listeners WHERE name = ?").get(r.listener) as
        | { id: number }
        | undefined;
      if (l === undefined) throw new NotFoundError(`listener "${r.listener}" does not exist`);
      const existed =
        this.db
          .prepare("SELECT 1 FROM routes WHERE listener_id = ? AND hostname = ?")
          .get(l.id, r.hostname) !== undefined;
      this.db
        .prepare(
          `INSERT INTO routes (listener_id, hostname, backend, mode, tls_cert, tls_key, min_tls, backend_tls, backend_ca,
             backend_h2, send_proxy, timeout_ms, health_path)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (listener_id, hostname) DO UPDATE SET backend = excluded.backend, mode = excluded.mode,
             tls_cert = excluded.tls_cert, tls_key = excluded.tls_key, min_tls = excluded.min_tls,
             backend_tls = excluded.backend_tls, backend_ca = excluded.backend_ca, backend_h2 = excluded.backend_h2,
             send_proxy = excluded.send_proxy, timeout_ms = excluded.timeout_ms, health_path = excluded.health_path`,
        )
        .run(
          l.id,
          r.hostname,
          r.backend,
          r.mode,
          r.tlsCert,
          r.tlsKey,
          r.minTls,
          r.backendTls ? 1 : 0,
          r.backendCa,
          r.backendH2 ? 1 : 0,
          r.sendProxy,
          r.timeoutMs,
          r.healthPath,
        );
      return existed;
    })();
  }

  removeRoute(listener: string, hostname: string): boolean {
    return (
      this.db
        .prepare(
          "DELETE FROM routes WHERE hostname = ? AND listener_id = (SELECT id FROM listeners WHERE name = ?)",
        )
        .run(hostname, listener).changes > 0
    );
  }

  setFirewall(f: FirewallRules): void {
    this.db.transaction(() => {
      this.db.exec("DELETE FROM firewall_rules; DELETE FROM firewall_settings;");
      this.writeFirewall(f);
    })();
  }

  addRule(kind: RuleKind, value: string): void {
    this.db
      .prepare("INSERT OR IGNORE INTO firewall_rules (kind, value) VALUES (?, ?)")
      .run(kind, value);
  }

  removeRule(kind: RuleKind, value: string): boolean {
    return (
      this.db.prepare("DELETE FROM firewall_rules WHERE kind = ? AND value = ?").run(kind, value)
        .changes > 0
    );
  }

  private writeFirewall(f: FirewallRules): void {
    for (const v of f.allow) this.addRule("allow", v);
    for (const v of f.deny) this.addRule("deny", v);
    for (const v of f.blockedCountries) this.addRule("country", v.toUpperCase());
    const put = this.db.prepare("INSERT INTO firewall_settings (key, value) VALUES (?, ?)");
    if (f.geoipDb !== null) put.run("geoip_db", JSON.stringify(f.geoipDb));
    if (f.connRate !== null) put.run("conn_rate", JSON.stringify(f.connRate));
    if (f.requestRate !== null) put.run("request_rate", JSON.stringify(f.requestRate));
  }
}
