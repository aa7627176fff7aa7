// The inventory: every certificate a mount issued, searchable by name, serial, requester and
// expiry; revocation marks the record (the CRL and OCSP read it from here).

import { AppError } from "@metacircular/mcdsl/errors";
import { z } from "zod";
import type { MountStore } from "../barrier/mount-store.ts";
import { type CertRecord, listJson, readJson, writeJson } from "./records.ts";
import { normalizeSerial } from "./serial.ts";

export const searchRequest = z.strictObject({
  name: z.string().optional(),
  serial: z.string().optional(),
  requester: z.string().optional(),
  expires_before: z.iso.datetime().optional(),
  revoked: z.boolean().optional(),
  limit: z.number().int().min(1).max(10_000).default(1000),
});
export type SearchRequest = z.infer<typeof searchRequest>;

/**
 * RFC 5280 CRLReason codes a revocation may carry: not 7 (unassigned) nor 8 (removeFromCRL,
 * which belongs to delta CRLs only: OpenSSL reads such an entry of a full CRL as "not revoked").
 */
export const REVOCATION_REASONS: ReadonlySet<number> = new Set([0, 1, 2, 3, 4, 5, 6, 9, 10]);

export const revokeRequest = z.strictObject({
  serial: z.string().regex(/^[0-9a-fA-F:]{1,64}$/),
  reason: z
    .number()
    .int()
    .refine((r) => REVOCATION_REASONS.has(r), "an RFC 5280 reason code other than 7 and 8")
    .default(0),
});

export type CertSummary = Omit<CertRecord, "cert_pem">;

const summary = ({ cert_pem: _pem, ...rest }: CertRecord): CertSummary => rest;

export function searchCerts(store: MountStore, q: SearchRequest): CertSummary[] {
  const name = q.name?.toLowerCase();
  const before = q.expires_before ? Date.parse(q.expires_before) : undefined;
  const out: CertSummary[] = [];
  for (const c of listJson<CertRecord>(store, "certs/")) {
    if (
      name &&
      !c.names.some((n) => n.includes(name)) &&
      !c.common_name.toLowerCase().includes(name)
    )
      continue;
    if (q.serial && c.serial !== normalizeSerial(q.serial)) continue;
    if (q.requester && c.requester !== q.requester) continue;
    if (before !== undefined && Date.parse(c.not_after) >= before) continue;
    if (q.revoked !== undefined && Boolean(c.revoked_at) !== q.revoked) continue;
    out.push(summary(c));
    if (out.length >= q.limit) break;
  }
  return out.sort((a, b) => a.issued_at.localeCompare(b.issued_at));
}

export function getCert(store: MountStore, serial: string): CertRecord {
  const c = readJson<CertRecord>(store, `certs/${normalizeSerial(serial)}`);
  if (!c) throw AppError.notFound("certificate_not_found", `no certificate with serial ${serial}`);
  return c;
}

export function revokeCert(store: MountStore, serial: string, reason: number): CertSummary {
  const c = getCert(store, serial);
  if (c.revoked_at)
    throw AppError.conflict("already_revoked", `certificate ${c.serial} is already revoked`);
  const updated: CertRecord = {
    ...c,
    revoked_at: new Date().toISOString(),
    revocation_reason: reason,
  };
  writeJson(store, `certs/${c.serial}`, updated);
  return summary(updated);
}

export function revokedBy(store: MountStore, issuer: string): CertRecord[] {
  return listJson<CertRecord>(store, "certs/").filter((c) => c.issuer === issuer && c.revoked_at);
}
