// API input → canonical record fields. All errors are AppErrors with stable codes.

import { AppError } from "@metacircular/mcdsl/errors";
import { RR, typeName, typeNumber } from "../dns/constants.ts";
import { DnsFormatError } from "../dns/errors.ts";
import { absoluteName, isSubdomain, lowerName, nameToLabels } from "../dns/name.ts";
import { parseRdata } from "../dns/rdata.ts";

export const MAX_TTL = 2_147_483_647;

export interface RecordInput {
  name: string;
  type: string;
  ttl?: number | undefined;
  value: string;
}

export interface CanonicalRecord {
  name: string;
  nameKey: string;
  type: number;
  ttl: number;
  value: string;
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DnsFormatError) throw AppError.badRequest(e.code, e.message);
    throw e;
  }
}

/** A record id as a transport carries it (URL segment, gRPC int64): a whole number below 10^15. */
export function recordId(v: string | bigint): number {
  const ok = typeof v === "bigint" ? v >= 0n && v < 10n ** 15n : /^\d{1,15}$/.test(v);
  if (!ok) throw AppError.badRequest("bad_record_id", "record id must be a number");
  return Number(v);
}

/** Zone name as used in URLs ("svc.example.net" or with trailing dot) → lowercase absolute. */
export function canonicalZoneName(zone: string): string {
  if (!zone || zone === "." || zone.length > 253)
    throw AppError.badRequest("bad_zone_name", `invalid zone name ${JSON.stringify(zone)}`);
  try {
    return lowerName(absoluteName(zone));
  } catch (e) {
    if (e instanceof DnsFormatError) throw AppError.badRequest("bad_zone_name", e.message);
    throw e;
  }
}

/** Record owner relative to the zone ("www", "@", or absolute "www.zone."). */
export function canonicalOwner(name: string, zone: string): string {
  const n = (name ?? "").trim();
  if (n === "") throw AppError.badRequest("bad_name", "record name is required");
  const abs = wrap(() => absoluteName(n, zone));
  if (!isSubdomain(lowerName(abs), zone))
    throw AppError.badRequest("name_outside_zone", `${abs} is not inside zone ${zone}`);
  const labels = nameToLabels(abs);
  labels.forEach((l, i) => {
    if (i > 0 && l.length === 1 && l[0] === 0x2a)
      throw AppError.badRequest("bad_name", "a wildcard '*' may only be the leftmost label");
  });
  return abs;
}

export function canonicalType(type: string): number {
  const t = typeNumber(String(type ?? "").trim());
  if (t === undefined)
    throw AppError.badRequest("bad_type", `unknown record type ${JSON.stringify(type)}`);
  if (t === RR.SOA)
    throw AppError.badRequest(
      "bad_type",
      "the SOA record is managed through the zone, not as a record",
    );
  if (t === RR.OPT || t === RR.AXFR || t === RR.IXFR || t === RR.ANY || t === 0)
    throw AppError.badRequest("bad_type", `${typeName(t)} cannot be stored as a record`);
  return t;
}

export function canonicalTtl(ttl: number | undefined, fallback: number): number {
  const v = ttl ?? fallback;
  if (!Number.isInteger(v) || v < 0 || v > MAX_TTL)
    throw AppError.badRequest("bad_ttl", `ttl must be an integer between 0 and ${MAX_TTL}`);
  return v;
}

export function canonicalRecord(
  input: RecordInput,
  zone: string,
  defaultTtl: number,
): CanonicalRecord {
  if (typeof input !== "object" || input === null)
    throw AppError.badRequest("bad_request", "record must be an object");
  const name = canonicalOwner(input.name, zone);
  const type = canonicalType(input.type);
  const ttl = canonicalTtl(input.ttl, defaultTtl);
  if (typeof input.value !== "string" || input.value.trim() === "")
    throw AppError.badRequest("bad_rdata", "record value is required");
  const value = wrap(() => parseRdata(type, input.value, zone).text);
  return { name, nameKey: lowerName(name), type, ttl, value };
}

/** Relative display name: "@" for the apex, otherwise the part before the zone. */
export function relativeName(abs: string, zone: string): string {
  const k = lowerName(abs);
  if (k === zone) return "@";
  return abs.slice(0, abs.length - zone.length - 1);
}

/** Next SOA serial: date-based YYYYMMDDnn when possible, always strictly increasing (RFC 1982). */
export function nextSerial(current: number, now = new Date()): number {
  const d =
    now.getUTCFullYear() * 1_000_000 + (now.getUTCMonth() + 1) * 10_000 + now.getUTCDate() * 100;
  if (current < d) return d;
  return current >= 0xffffffff ? 1 : current + 1;
}
