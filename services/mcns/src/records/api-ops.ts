// API operations shared by REST and gRPC: authorization on top of DnsStore, plus import/export.

import { AppError } from "@metacircular/mcdsl/errors";
import type { Identity } from "@metacircular/mcdsl/http";
import { assertCanManageRecord, assertCanRead } from "../authz/policy.ts";
import { exportMasterFile } from "../zone/master-file.ts";
import type { DnsStore, RecordView, ZoneView } from "./dns-store.ts";
import type { RecordInput } from "./validate.ts";
import { type ImportResult, importSerialMode, importZone } from "./zone-import.ts";
import type { ZoneInput } from "./zone-input.ts";

const actor = (id: Identity) => `${id.accountType}:${id.username}`;

export class ApiOps {
  constructor(readonly store: DnsStore) {}

  listZones(id: Identity): ZoneView[] {
    assertCanRead(id);
    return this.store.listZones();
  }
  getZone(id: Identity, zone: string): ZoneView {
    assertCanRead(id);
    return this.store.getZone(zone);
  }
  createZone(id: Identity, input: ZoneInput): ZoneView {
    return this.store.createZone(actor(id), input);
  }
  updateZone(id: Identity, zone: string, input: Partial<ZoneInput>): ZoneView {
    return this.store.updateZone(actor(id), zone, input);
  }
  deleteZone(id: Identity, zone: string): void {
    this.store.deleteZone(actor(id), zone);
  }

  listRecords(
    id: Identity,
    zone: string,
    f: { name?: string | undefined; type?: string | undefined },
  ): RecordView[] {
    assertCanRead(id);
    const filter: { name?: string; type?: string } = {};
    if (f.name) filter.name = f.name;
    if (f.type) filter.type = f.type;
    return this.store.listRecords(zone, filter);
  }
  getRecord(id: Identity, zone: string, recordId: number): RecordView {
    assertCanRead(id);
    return this.store.getRecord(zone, recordId);
  }
  createRecord(id: Identity, zone: string, input: RecordInput): RecordView {
    assertCanRead(id);
    const rec = this.store.canonical(zone, input);
    assertCanManageRecord(id, rec.name, this.store.zoneRow(zone).name);
    return this.store.createRecord(actor(id), zone, input);
  }
  updateRecord(id: Identity, zone: string, recordId: number, input: RecordInput): RecordView {
    assertCanRead(id);
    const z = this.store.zoneRow(zone).name;
    const old = this.store.getRecord(zone, recordId);
    assertCanManageRecord(id, old.fqdn, z);
    assertCanManageRecord(id, this.store.canonical(zone, input).name, z);
    return this.store.updateRecord(actor(id), zone, recordId, input);
  }
  deleteRecord(id: Identity, zone: string, recordId: number): RecordView {
    assertCanRead(id);
    const old = this.store.getRecord(zone, recordId);
    assertCanManageRecord(id, old.fqdn, this.store.zoneRow(zone).name);
    return this.store.deleteRecord(actor(id), zone, recordId);
  }

  exportZone(id: Identity, zone: string): string {
    assertCanRead(id);
    const row = this.store.zoneRow(zone);
    const z = this.store.registry.get(row.name);
    if (!z) throw AppError.notFound("zone_not_found", `zone ${zone} is not loaded`);
    return exportMasterFile(z);
  }

  /**
   * Zone file import (admin): one transaction; the file's serial kept unless `serial` is
   * "increment" (any other name is refused); `create` makes a missing zone.
   */
  importZone(
    id: Identity,
    zone: string,
    text: string,
    opts: { create?: boolean; serial?: string | undefined } = {},
  ): ImportResult {
    return importZone(this.store, actor(id), zone, text, {
      ...(opts.create ? { create: true } : {}),
      serial: importSerialMode(opts.serial),
    });
  }

  /** The newest audit entries: `limit` 1-1000, 100 when absent or not a positive whole number. */
  audit(_id: Identity, limit?: number) {
    const n = limit !== undefined && Number.isInteger(limit) && limit > 0 ? limit : 100;
    return this.store.q
      .auditLog(Math.min(n, 1000))
      .map((e) => ({ ...e, detail: JSON.parse(e.detail) as unknown }));
  }
}
