// Zone (SOA) parameters from API input, with operator-friendly defaults.

import { AppError } from "@metacircular/mcdsl/errors";
import { DnsFormatError } from "../dns/errors.ts";
import { absoluteName } from "../dns/name.ts";

export interface ZoneInput {
  name: string;
  primary_ns?: string;
  admin_email?: string;
  refresh?: number;
  retry?: number;
  expire?: number;
  minimum?: number;
  ttl?: number;
  serial?: number;
}

export interface ZoneParams {
  primary_ns: string;
  admin_email: string;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
  ttl: number;
}

function u32(v: unknown, field: string, def: number): number {
  const n = v ?? def;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 0x7fffffff)
    throw AppError.badRequest("bad_zone", `${field} must be an integer between 0 and 2147483647`);
  return n;
}

/** "hostmaster@example.net" or "hostmaster.example.net." → SOA RNAME form. */
function rname(email: string): string {
  const at = email.indexOf("@");
  if (at < 0) return absoluteName(email);
  const local = email.slice(0, at).replace(/\./g, "\\.");
  return absoluteName(`${local}.${email.slice(at + 1)}`);
}

export function canonicalZoneInput(input: Partial<ZoneInput>, zone: string): ZoneParams {
  try {
    return {
      primary_ns: absoluteName(String(input.primary_ns ?? `ns1.${zone}`), zone),
      admin_email: rname(String(input.admin_email ?? `hostmaster.${zone}`)),
      refresh: u32(input.refresh, "refresh", 3600),
      retry: u32(input.retry, "retry", 600),
      expire: u32(input.expire, "expire", 1_209_600),
      minimum: u32(input.minimum, "minimum", 300),
      ttl: u32(input.ttl, "ttl", 3600),
    };
  } catch (e) {
    if (e instanceof DnsFormatError) throw AppError.badRequest("bad_zone", e.message);
    throw e;
  }
}
