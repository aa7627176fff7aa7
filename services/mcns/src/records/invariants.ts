// RFC invariants checked inside the mutation transaction against the records already at the name.

import { AppError } from "@metacircular/mcdsl/errors";
import type { RecordRow } from "../db/queries.ts";
import { RR, typeName } from "../dns/constants.ts";
import type { CanonicalRecord } from "./validate.ts";

export function checkInvariants(existing: RecordRow[], rec: CanonicalRecord, zone: string): void {
  if (rec.type === RR.CNAME && rec.nameKey === zone)
    throw AppError.conflict(
      "cname_at_apex",
      "a CNAME cannot be placed at the zone apex (SOA and NS live there)",
    );
  for (const e of existing) {
    if (e.type === rec.type && e.value === rec.value)
      throw AppError.conflict(
        "record_exists",
        `${rec.name} ${typeName(rec.type)} ${rec.value} already exists`,
      );
  }
  if (rec.type === RR.CNAME && existing.length > 0) {
    const other = existing[0]!;
    throw AppError.conflict(
      "cname_conflict",
      `${rec.name} already has ${typeName(other.type)} data; a CNAME cannot coexist with other records (RFC 1034 §3.6.2)`,
    );
  }
  if (rec.type !== RR.CNAME && existing.some((e) => e.type === RR.CNAME))
    throw AppError.conflict(
      "cname_conflict",
      `${rec.name} is a CNAME; no other records may exist at that name (RFC 1034 §3.6.2)`,
    );
}
