// JSON shapes of zones and records as the API returns them.

import type { RecordRow, ZoneRow } from "../db/queries.ts";
import { typeName } from "../dns/constants.ts";
import { relativeName } from "./validate.ts";

export interface RecordView {
  id: number;
  zone: string;
  name: string;
  fqdn: string;
  type: string;
  ttl: number;
  value: string;
  created_at: string;
  updated_at: string;
}

export interface ZoneView {
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

export function recordView(r: RecordRow, zone: string): RecordView {
  return {
    id: r.id,
    zone: zone.slice(0, -1),
    name: relativeName(r.name, zone),
    fqdn: r.name,
    type: typeName(r.type),
    ttl: r.ttl,
    value: r.value,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

export function zoneView(z: ZoneRow): ZoneView {
  return {
    name: z.name.slice(0, -1),
    primary_ns: z.primary_ns,
    admin_email: z.admin_email,
    refresh: z.refresh,
    retry: z.retry,
    expire: z.expire,
    minimum: z.minimum,
    ttl: z.ttl,
    serial: z.serial,
    created_at: z.created_at,
    updated_at: z.updated_at,
  };
}
