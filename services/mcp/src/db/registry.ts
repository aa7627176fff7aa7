// The registry's queries (raw SQL): one method per question or change the agent has.
import { cachedStatement, type DB } from "@metacircular/mcdsl/db";
import type { ServiceDef } from "../servicedef/schema.ts";

export type Desired = "running" | "stopped";

export interface ServiceRow {
  name: string;
  node: string;
  tier: string;
  active: boolean;
  desired: Desired;
  definition: ServiceDef;
  /** "flapping": the monitor stopped restoring it; a deploy or start clears it. */
  health: "ok" | "flapping";
  updatedAt: string;
}

export interface ComponentRow {
  service: string;
  name: string;
  image: string;
  container: string;
  specHash: string;
}

export interface RouteRow {
  service: string;
  component: string;
  /** "" for the component's unnamed route. */
  name: string;
  listenerPort: number;
  mode: "l4" | "l7";
  hostname: string;
  public: boolean;
  hostPort: number;
  /** The other port of the route's pair (a redeploy starts the new version there). */
  sparePort?: number;
  registered: boolean;
}

export type DeployKind = "deploy" | "rollback" | "start" | "restore" | "recover";

export interface DeployRow {
  id: number;
  kind: DeployKind;
  startedAt: string;
  finishedAt: string | null;
  outcome: "running" | "ok" | "failed";
  failedStep: string | null;
  error: string | null;
  actor: string;
  definition: ServiceDef;
}

export interface DnsRow {
  service: string;
  zone: string;
  name: string;
  type: string;
  value: string;
  recordId: number;
}

export interface CertRow {
  service: string;
  hostname: string;
  certPath: string;
  keyPath: string;
  /** Set for a certificate Metacrypt issued (the agent owns its files); absent for [certs] static. */
  serial?: string;
  notAfter?: string;
}

export interface EventRow {
  id: number;
  at: string;
  service: string;
  kind: string;
  message: string;
}

type Raw = Record<string, unknown>;

const service = (r: Raw): ServiceRow => ({
  name: r.name as string,
  node: r.node as string,
  tier: r.tier as string,
  active: r.active === 1,
  desired: r.desired as Desired,
  definition: JSON.parse(r.definition as string) as ServiceDef,
  health: r.health as "ok" | "flapping",
  updatedAt: r.updated_at as string,
});

const route = (r: Raw): RouteRow => ({
  service: r.service as string,
  component: r.component as string,
  name: r.name as string,
  listenerPort: r.listener_port as number,
  mode: r.mode as "l4" | "l7",
  hostname: r.hostname as string,
  public: r.public === 1,
  hostPort: r.host_port as number,
  ...(typeof r.spare_port === "number" ? { sparePort: r.spare_port } : {}),
  registered: r.registered === 1,
});

const deployRow = (r: Raw): DeployRow => ({
  id: r.id as number,
  kind: r.kind as DeployKind,
  startedAt: r.started_at as string,
  finishedAt: (r.finished_at as string | null) ?? null,
  outcome: r.outcome as DeployRow["outcome"],
  failedStep: (r.failed_step as string | null) ?? null,
  error: (r.error as string | null) ?? null,
  actor: r.actor as string,
  definition: JSON.parse(r.definition as string) as ServiceDef,
});

export class Registry {
  constructor(readonly db: DB) {}

  private q(sql: string) {
    return cachedStatement(this.db, sql);
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  getService(name: string): ServiceRow | undefined {
    const r = this.q("SELECT * FROM services WHERE name = ?").get(name) as Raw | undefined;
    return r ? service(r) : undefined;
  }

  listServices(): ServiceRow[] {
    return (this.q("SELECT * FROM services ORDER BY name").all() as Raw[]).map(service);
  }

  putService(def: ServiceDef, desired: Desired): void {
    this.q(
      `INSERT INTO services (name, node, tier, active, desired, definition) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET node = excluded.node, tier = excluded.tier, health = 'ok',
         active = excluded.active, desired = excluded.desired, definition = excluded.definition,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
    ).run(def.name, def.node, def.tier, def.active ? 1 : 0, desired, JSON.stringify(def));
  }

  setDesired(name: string, desired: Desired): void {
    this.q(
      "UPDATE services SET desired = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE name = ?",
    ).run(desired, name);
  }

  setHealth(name: string, health: "ok" | "flapping"): void {
    this.q("UPDATE services SET health = ? WHERE name = ?").run(health, name);
  }

  /** How many events of `kind` the service had since `sinceIso`. */
  countEvents(svc: string, kind: string, sinceIso: string): number {
    const r = this.q(
      "SELECT count(*) AS n FROM events WHERE service = ? AND kind = ? AND at >= ?",
    ).get(svc, kind, sinceIso) as { n: number };
    return r.n;
  }

  /** Removes the service, every row that belongs to it, its events and its deploy history. */
  deleteService(name: string): void {
    this.tx(() => {
      this.q("DELETE FROM services WHERE name = ?").run(name);
      this.q("DELETE FROM events WHERE service = ?").run(name);
      this.q("DELETE FROM deploys WHERE service = ?").run(name);
    });
  }

  components(svc: string): ComponentRow[] {
    return (
      this.q("SELECT * FROM components WHERE service = ? ORDER BY name").all(svc) as Raw[]
    ).map((r) => ({
      service: r.service as string,
      name: r.name as string,
      image: r.image as string,
      container: r.container as string,
      specHash: r.spec_hash as string,
    }));
  }

  putComponent(c: ComponentRow): void {
    this.q(
      `INSERT INTO components (service, name, image, container, spec_hash) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (service, name) DO UPDATE SET image = excluded.image,
         container = excluded.container, spec_hash = excluded.spec_hash`,
    ).run(c.service, c.name, c.image, c.container, c.specHash);
  }

  deleteComponentsExcept(svc: string, keep: string[]): void {
    const all = this.components(svc).filter((c) => !keep.includes(c.name));
    for (const c of all)
      this.q("DELETE FROM components WHERE service = ? AND name = ?").run(svc, c.name);
  }

  routes(svc?: string): RouteRow[] {
    const rows = svc
      ? this.q("SELECT * FROM routes WHERE service = ? ORDER BY component, name").all(svc)
      : this.q("SELECT * FROM routes ORDER BY service, component, name").all();
    return (rows as Raw[]).map(route);
  }

  usedHostPorts(): Set<number> {
    const rows = this.q("SELECT host_port, spare_port FROM routes").all() as Array<{
      host_port: number;
      spare_port: number | null;
    }>;
    return new Set(
      rows.flatMap((r) => (r.spare_port ? [r.host_port, r.spare_port] : [r.host_port])),
    );
  }

  /** Replaces the service's routes with `rows` (ports are kept by the caller's allocation). */
  replaceRoutes(svc: string, rows: RouteRow[]): void {
    this.q("DELETE FROM routes WHERE service = ?").run(svc);
    const ins = this.q(
      `INSERT INTO routes (service, component, name, listener_port, mode, hostname, public,
         host_port, spare_port, registered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of rows) {
      ins.run(
        svc,
        r.component,
        r.name,
        r.listenerPort,
        r.mode,
        r.hostname,
        r.public ? 1 : 0,
        r.hostPort,
        r.sparePort ?? null,
        r.registered ? 1 : 0,
      );
    }
  }

  setRoutesRegistered(svc: string, registered: boolean): void {
    this.q("UPDATE routes SET registered = ? WHERE service = ?").run(registered ? 1 : 0, svc);
  }

  dnsRecords(svc: string): DnsRow[] {
    return (this.q("SELECT * FROM dns_records WHERE service = ?").all(svc) as Raw[]).map((r) => ({
      service: r.service as string,
      zone: r.zone as string,
      name: r.name as string,
      type: r.type as string,
      value: r.value as string,
      recordId: r.record_id as number,
    }));
  }

  putDnsRecord(d: DnsRow): void {
    this.q(
      `INSERT INTO dns_records (service, zone, name, type, value, record_id) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (service, zone, name, type) DO UPDATE SET value = excluded.value,
         record_id = excluded.record_id`,
    ).run(d.service, d.zone, d.name, d.type, d.value, d.recordId);
  }

  deleteDnsRecords(svc: string): void {
    this.q("DELETE FROM dns_records WHERE service = ?").run(svc);
  }

  certificates(svc: string): CertRow[] {
    return (this.q("SELECT * FROM certificates WHERE service = ?").all(svc) as Raw[]).map((r) => ({
      service: r.service as string,
      hostname: r.hostname as string,
      certPath: r.cert_path as string,
      keyPath: r.key_path as string,
      ...(r.serial ? { serial: r.serial as string, notAfter: r.not_after as string } : {}),
    }));
  }

  putCertificate(c: CertRow): void {
    this.q(
      `INSERT INTO certificates (service, hostname, cert_path, key_path, serial, not_after)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (service, hostname) DO UPDATE SET cert_path = excluded.cert_path,
         key_path = excluded.key_path, serial = excluded.serial, not_after = excluded.not_after`,
    ).run(c.service, c.hostname, c.certPath, c.keyPath, c.serial ?? "", c.notAfter ?? "");
  }

  deleteCertificates(svc: string): void {
    this.q("DELETE FROM certificates WHERE service = ?").run(svc);
  }

  event(svc: string, kind: string, message: string): void {
    this.q("INSERT INTO events (service, kind, message) VALUES (?, ?, ?)").run(svc, kind, message);
  }

  events(svc: string, limit = 50): EventRow[] {
    return (
      this.q("SELECT * FROM events WHERE service = ? ORDER BY id DESC LIMIT ?").all(
        svc,
        limit,
      ) as Raw[]
    ).map((r) => ({
      id: r.id as number,
      at: r.at as string,
      service: r.service as string,
      kind: r.kind as string,
      message: r.message as string,
    }));
  }

  startDeploy(def: ServiceDef, actor: string, kind: DeployKind = "deploy"): number {
    const r = this.q(
      "INSERT INTO deploys (service, outcome, definition, actor, kind) VALUES (?, 'running', ?, ?, ?)",
    ).run(def.name, JSON.stringify(def), actor, kind);
    return Number(r.lastInsertRowid);
  }

  finishDeploy(id: number, failure?: { step: string; error: string }): void {
    this.q(
      `UPDATE deploys SET finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), outcome = ?,
         failed_step = ?, error = ? WHERE id = ?`,
    ).run(failure ? "failed" : "ok", failure?.step ?? null, failure?.error ?? null, id);
  }

  /** The service's deploy history, newest first. */
  deploys(svc: string, limit = 1000): DeployRow[] {
    return (
      this.q("SELECT * FROM deploys WHERE service = ? ORDER BY id DESC LIMIT ?").all(
        svc,
        limit,
      ) as Raw[]
    ).map(deployRow);
  }

  /** One deploy of the service by id. */
  deploy(svc: string, id: number): DeployRow | undefined {
    const r = this.q("SELECT * FROM deploys WHERE service = ? AND id = ?").get(svc, id) as
      | Raw
      | undefined;
    return r ? deployRow(r) : undefined;
  }
}
