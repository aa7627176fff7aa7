// The authoritative data: every mutation runs in one SQLite transaction that also bumps the
// zone's SOA serial and writes the change journal and audit log; after commit the zone is rebuilt
// in memory and swapped into the registry, so queries see the change immediately.

import type { Database } from "@metacircular/mcdsl/db";
import { AppError } from "@metacircular/mcdsl/errors";
import { Queries, type ZoneRow } from "../db/queries.ts";
import { typeName } from "../dns/constants.ts";
import { lowerName } from "../dns/name.ts";
import type { ZoneRegistry } from "../engine/zone-registry.ts";
import { Zone } from "../zone/zone.ts";
import { checkInvariants } from "./invariants.ts";
import { type RecordView, recordView, type ZoneView, zoneView } from "./views.ts";

export type { RecordView, ZoneView };

import {
  type CanonicalRecord,
  canonicalOwner,
  canonicalRecord,
  canonicalType,
  canonicalZoneName,
  nextSerial,
  type RecordInput,
} from "./validate.ts";
import { canonicalZoneInput, type ZoneInput } from "./zone-input.ts";

export const DEFAULT_RECORD_TTL = 300;

export class DnsStore {
  readonly q: Queries;
  private readonly listeners: Array<(zone: string, serial: number) => void> = [];

  constructor(
    readonly db: Database,
    readonly registry: ZoneRegistry,
  ) {
    this.q = new Queries(db);
  }

  /** Loads every zone from the database into the registry (startup). */
  loadAll(): void {
    for (const z of this.q.zones()) this.publish(z);
  }

  onCommit(fn: (zone: string, serial: number) => void): void {
    this.listeners.push(fn);
  }

  private publish(row: ZoneRow): void {
    const recs = this.q
      .records(row.id)
      .map((r) => ({ name: r.name, type: r.type, ttl: r.ttl, value: r.value }));
    this.registry.set(
      new Zone(
        row.name,
        {
          primaryNs: row.primary_ns,
          adminEmail: row.admin_email,
          serial: row.serial,
          refresh: row.refresh,
          retry: row.retry,
          expire: row.expire,
          minimum: row.minimum,
          ttl: row.ttl,
        },
        recs,
      ),
    );
  }

  /** Publishes a committed change of `zoneName` (rebuild in memory, notify listeners). */
  committed(zoneName: string): void {
    const row = this.q.zone(zoneName);
    if (row) {
      this.publish(row);
      for (const fn of this.listeners) fn(row.name, row.serial);
    } else this.registry.delete(zoneName);
  }

  zoneRow(zone: string): ZoneRow {
    const row = this.q.zone(canonicalZoneName(zone));
    if (!row) throw AppError.notFound("zone_not_found", `zone ${zone} does not exist`);
    return row;
  }

  listZones(): ZoneView[] {
    return this.q.zones().map(zoneView);
  }
  getZone(zone: string): ZoneView {
    return zoneView(this.zoneRow(zone));
  }

  createZone(actor: string, input: ZoneInput): ZoneView {
    const name = canonicalZoneName(String(input?.name ?? ""));
    const z = canonicalZoneInput(input, name);
    this.db.transaction(() => {
      if (this.q.zone(name)) throw AppError.conflict("zone_exists", `zone ${name} already exists`);
      this.q.insertZone({ name, ...z, serial: input.serial ?? nextSerial(0) });
      this.q.audit(actor, "zone.create", name, z);
    })();
    this.committed(name);
    return this.getZone(name);
  }

  updateZone(actor: string, zone: string, input: Partial<ZoneInput>): ZoneView {
    const row = this.zoneRow(zone);
    const merged = canonicalZoneInput({ ...zoneView(row), ...input }, row.name);
    this.db.transaction(() => {
      this.q.updateZone(row.id, { ...merged, serial: nextSerial(row.serial) });
      this.q.audit(actor, "zone.update", row.name, merged);
    })();
    this.committed(row.name);
    return this.getZone(row.name);
  }

  deleteZone(actor: string, zone: string): void {
    const row = this.zoneRow(zone);
    this.db.transaction(() => {
      this.q.deleteZone(row.id);
      this.q.audit(actor, "zone.delete", row.name, {});
    })();
    this.committed(row.name);
  }

  listRecords(zone: string, filter: { name?: string; type?: string } = {}): RecordView[] {
    const row = this.zoneRow(zone);
    const f: { nameKey?: string; type?: number } = {};
    if (filter.name) f.nameKey = lowerName(canonicalOwner(filter.name, row.name));
    if (filter.type) f.type = canonicalType(filter.type);
    return this.q.records(row.id, f).map((r) => recordView(r, row.name));
  }

  getRecord(zone: string, id: number): RecordView {
    const row = this.zoneRow(zone);
    const r = this.q.record(row.id, id);
    if (!r) throw AppError.notFound("record_not_found", `record ${id} not found in ${row.name}`);
    return recordView(r, row.name);
  }

  /** Canonicalises a record input for `zone` (used by authorization before mutating). */
  canonical(zone: string, input: RecordInput): CanonicalRecord {
    const row = this.zoneRow(zone);
    return canonicalRecord(input, row.name, DEFAULT_RECORD_TTL);
  }

  createRecord(actor: string, zone: string, input: RecordInput): RecordView {
    const row = this.zoneRow(zone);
    const rec = canonicalRecord(input, row.name, DEFAULT_RECORD_TTL);
    let id = 0;
    this.db.transaction(() => {
      checkInvariants(this.q.records(row.id, { nameKey: rec.nameKey }), rec, row.name);
      id = this.q.insertRecord({
        zone_id: row.id,
        name: rec.name,
        name_key: rec.nameKey,
        type: rec.type,
        ttl: rec.ttl,
        value: rec.value,
      });
      const serial = this.bump(row);
      this.q.journal(row.id, serial, "add", rec);
      this.q.audit(actor, "record.create", row.name, { id, ...display(rec) });
    })();
    this.committed(row.name);
    return this.getRecord(row.name, id);
  }

  updateRecord(actor: string, zone: string, id: number, input: RecordInput): RecordView {
    const row = this.zoneRow(zone);
    const rec = canonicalRecord(input, row.name, DEFAULT_RECORD_TTL);
    this.db.transaction(() => {
      const old = this.q.record(row.id, id);
      if (!old)
        throw AppError.notFound("record_not_found", `record ${id} not found in ${row.name}`);
      const others = this.q.records(row.id, { nameKey: rec.nameKey }).filter((r) => r.id !== id);
      checkInvariants(others, rec, row.name);
      this.q.updateRecord(id, {
        name: rec.name,
        name_key: rec.nameKey,
        type: rec.type,
        ttl: rec.ttl,
        value: rec.value,
      });
      const serial = this.bump(row);
      this.q.journal(row.id, serial, "del", old);
      this.q.journal(row.id, serial, "add", rec);
      this.q.audit(actor, "record.update", row.name, { id, ...display(rec) });
    })();
    this.committed(row.name);
    return this.getRecord(row.name, id);
  }

  deleteRecord(actor: string, zone: string, id: number): RecordView {
    const row = this.zoneRow(zone);
    const old = this.getRecord(row.name, id);
    this.db.transaction(() => {
      const r = this.q.record(row.id, id);
      if (!r) throw AppError.notFound("record_not_found", `record ${id} not found in ${row.name}`);
      this.q.deleteRecord(id);
      const serial = this.bump(row);
      this.q.journal(row.id, serial, "del", r);
      this.q.audit(actor, "record.delete", row.name, {
        id,
        name: r.name,
        type: typeName(r.type),
        value: r.value,
      });
    })();
    this.committed(row.name);
    return old;
  }

  private bump(row: ZoneRow): number {
    const fresh = this.q.zone(row.name)!;
    const serial = nextSerial(fresh.serial);
    this.q.setSerial(row.id, serial);
    return serial;
  }
}

function display(r: CanonicalRecord) {
  return { name: r.name, type: typeName(r.type), ttl: r.ttl, value: r.value };
}
