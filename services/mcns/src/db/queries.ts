// Raw SQL for zones, records, the change journal and the audit log.

import type { Database } from "@metacircular/mcdsl/db";

export interface ZoneRow {
  id: number;
  name: string;
  primary_ns: string;
  admin_email: string;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
  ttl: number;
  serial: number;
  created_at: string;
  updated_at: string;
}

export interface RecordRow {
  id: number;
  zone_id: number;
  name: string;
  name_key: string;
  type: number;
  ttl: number;
  value: string;
  created_at: string;
  updated_at: string;
}

export interface JournalRow {
  serial: number;
  op: "add" | "del";
  name: string;
  type: number;
  ttl: number;
  value: string;
}

export type NewZone = Omit<ZoneRow, "id" | "created_at" | "updated_at">;

export class Queries {
  constructor(readonly db: Database) {}

  zones(): ZoneRow[] {
    return this.db.prepare("SELECT * FROM zones ORDER BY name").all() as ZoneRow[];
  }
  zone(name: string): ZoneRow | undefined {
    return this.db.prepare("SELECT * FROM zones WHERE name = ?").get(name) as ZoneRow | undefined;
  }
  insertZone(z: NewZone): number {
    const r = this.db
      .prepare(
        `INSERT INTO zones (name, primary_ns, admin_email, refresh, retry, expire, minimum, ttl, serial)
         VALUES (@name, @primary_ns, @admin_email, @refresh, @retry, @expire, @minimum, @ttl, @serial)`,
      )
      .run(z);
    return Number(r.lastInsertRowid);
  }
  updateZone(id: number, z: Omit<NewZone, "name">): void {
    this.db
      .prepare(
        `UPDATE zones SET primary_ns=@primary_ns, admin_email=@admin_email, refresh=@refresh,
           retry=@retry, expire=@expire, minimum=@minimum, ttl=@ttl, serial=@serial,
           updated_at=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id=@id`,
      )
      .run({ ...z, id });
  }
  setSerial(id: number, serial: number): void {
    this.db
      .prepare(
        "UPDATE zones SET serial=?, updated_at=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id=?",
      )
      .run(serial, id);
  }
  deleteZone(id: number): void {
    this.db.prepare("DELETE FROM zones WHERE id = ?").run(id);
  }

  records(zoneId: number, filter: { nameKey?: string; type?: number } = {}): RecordRow[] {
    let sql = "SELECT * FROM records WHERE zone_id = ?";
    const args: unknown[] = [zoneId];
    if (filter.nameKey !== undefined) {
      sql += " AND name_key = ?";
      args.push(filter.nameKey);
    }
    if (filter.type !== undefined) {
      sql += " AND type = ?";
      args.push(filter.type);
    }
    return this.db.prepare(`${sql} ORDER BY name_key, type, id`).all(...args) as RecordRow[];
  }
  record(zoneId: number, id: number): RecordRow | undefined {
    return this.db.prepare("SELECT * FROM records WHERE zone_id = ? AND id = ?").get(zoneId, id) as
      | RecordRow
      | undefined;
  }
  insertRecord(r: Omit<RecordRow, "id" | "created_at" | "updated_at">): number {
    const res = this.db
      .prepare(
        `INSERT INTO records (zone_id, name, name_key, type, ttl, value)
         VALUES (@zone_id, @name, @name_key, @type, @ttl, @value)`,
      )
      .run(r);
    return Number(res.lastInsertRowid);
  }
  updateRecord(
    id: number,
    r: { name: string; name_key: string; type: number; ttl: number; value: string },
  ) {
    this.db
      .prepare(
        `UPDATE records SET name=@name, name_key=@name_key, type=@type, ttl=@ttl, value=@value,
           updated_at=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id=@id`,
      )
      .run({ ...r, id });
  }
  deleteRecord(id: number): void {
    this.db.prepare("DELETE FROM records WHERE id = ?").run(id);
  }
  deleteRecords(zoneId: number): void {
    this.db.prepare("DELETE FROM records WHERE zone_id = ?").run(zoneId);
  }

  journal(zoneId: number, serial: number, op: "add" | "del", r: Omit<JournalRow, "serial" | "op">) {
    this.db
      .prepare(
        "INSERT INTO journal (zone_id, serial, op, name, type, ttl, value) VALUES (?,?,?,?,?,?,?)",
      )
      .run(zoneId, serial, op, r.name, r.type, r.ttl, r.value);
  }
  clearJournal(zoneId: number): void {
    this.db.prepare("DELETE FROM journal WHERE zone_id = ?").run(zoneId);
  }
  journalSince(zoneId: number, serial: number): JournalRow[] {
    return this.db
      .prepare(
        "SELECT serial, op, name, type, ttl, value FROM journal WHERE zone_id = ? AND serial > ? ORDER BY id",
      )
      .all(zoneId, serial) as JournalRow[];
  }
  audit(actor: string, action: string, zone: string | null, detail: unknown): void {
    this.db
      .prepare("INSERT INTO audit_log (actor, action, zone, detail) VALUES (?,?,?,?)")
      .run(actor, action, zone, JSON.stringify(detail));
  }
  auditLog(limit = 100): Array<{
    id: number;
    at: string;
    actor: string;
    action: string;
    zone: string | null;
    detail: string;
  }> {
    return this.db.prepare("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?").all(limit) as never;
  }
}
