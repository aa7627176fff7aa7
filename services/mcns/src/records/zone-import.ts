// Zone file import as one use case: parse, create the zone when asked, replace its records and
// set its SOA in ONE transaction (all or nothing). The first error names its line. The file's
// SOA serial and fields are kept unless the operator asks for a new (increased) serial.

import { AppError } from "@metacircular/mcdsl/errors";
import { typeName } from "../dns/constants.ts";
import { DnsFormatError } from "../dns/errors.ts";
import { type MasterSoa, type ParsedMaster, parseMasterFile } from "../zone/master-file.ts";
import type { DnsStore } from "./dns-store.ts";
import { checkInvariants } from "./invariants.ts";
import { canonicalRecord, canonicalZoneName, nextSerial } from "./validate.ts";
import { zoneView } from "./views.ts";
import { canonicalZoneInput } from "./zone-input.ts";

export const IMPORT_DEFAULT_TTL = 300;

export interface ImportOptions {
  /** Create the zone when it does not exist (the offline `mcns zone-import`). */
  create?: boolean;
  /** "file" (default): keep the file's SOA serial; "increment": a serial above the current one. */
  serial?: "file" | "increment";
}

/** The serial mode an API caller names ("file" when absent). */
export function importSerialMode(mode: string | undefined): "file" | "increment" {
  const m = mode ?? "file";
  if (m !== "file" && m !== "increment")
    throw AppError.badRequest("bad_serial_mode", 'serial must be "file" or "increment"');
  return m;
}

export interface ImportResult {
  zone: string;
  imported: number;
  serial: number;
  created: boolean;
}

/** Re-throws an error of one line of the file with "line N: " in front, code and status kept. */
function atLine<T>(line: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof AppError) throw new AppError(e.status, e.code, `line ${line}: ${e.message}`);
    if (e instanceof DnsFormatError)
      throw AppError.badRequest(e.code, `line ${line}: ${e.message}`);
    throw e;
  }
}

function parse(text: string, zone: string): ParsedMaster {
  try {
    return parseMasterFile(text, zone);
  } catch (e) {
    if (e instanceof DnsFormatError) throw AppError.badRequest(e.code, e.message);
    throw e;
  }
}

function soaInput(soa: MasterSoa | undefined) {
  if (!soa) return {};
  const { line: _line, serial: _serial, ...fields } = soa;
  return fields;
}

export function importZone(
  store: DnsStore,
  actor: string,
  zoneName: string,
  text: string,
  opts: ImportOptions = {},
): ImportResult {
  const name = canonicalZoneName(zoneName);
  const parsed = parse(text, name);
  const { q } = store;
  const result: ImportResult = { zone: name, imported: 0, serial: 0, created: false };
  store.db.transaction(() => {
    let row = q.zone(name);
    if (!row && !opts.create)
      throw AppError.notFound("zone_not_found", `zone ${zoneName} does not exist`);
    const fields = atLine(parsed.soa?.line ?? 1, () =>
      canonicalZoneInput({ ...(row ? zoneView(row) : {}), ...soaInput(parsed.soa) }, name),
    );
    const previous = row?.serial ?? 0;
    const serial =
      parsed.soa && opts.serial !== "increment" ? parsed.soa.serial : nextSerial(previous);
    if (!row) {
      q.insertZone({ name, ...fields, serial });
      row = q.zone(name)!;
      result.created = true;
    }
    // The journal only describes a serial history that moves forwards (RFC 1982).
    const forwards = !result.created && serialAfter(serial, previous);
    if (forwards) for (const r of q.records(row.id)) q.journal(row.id, serial, "del", r);
    else q.clearJournal(row.id);
    q.deleteRecords(row.id);
    for (const r of parsed.records) {
      atLine(r.line, () => {
        const rec = canonicalRecord(
          { name: r.name, type: typeName(r.type), ttl: r.ttl, value: r.value },
          name,
          IMPORT_DEFAULT_TTL,
        );
        checkInvariants(q.records(row.id, { nameKey: rec.nameKey }), rec, name);
        q.insertRecord({ zone_id: row.id, name: rec.name, name_key: rec.nameKey, ...pick(rec) });
        if (forwards) q.journal(row.id, serial, "add", rec);
      });
    }
    q.updateZone(row.id, { ...fields, serial });
    result.imported = parsed.records.length;
    result.serial = serial;
    q.audit(actor, "zone.import", name, {
      records: result.imported,
      serial,
      created: result.created,
    });
  })();
  store.committed(name);
  return result;
}

const pick = (r: { type: number; ttl: number; value: string }) => ({
  type: r.type,
  ttl: r.ttl,
  value: r.value,
});

/** RFC 1982 serial number arithmetic: is `a` after `b`? */
export function serialAfter(a: number, b: number): boolean {
  const d = (a - b) >>> 0;
  return d !== 0 && d < 0x80000000;
}
