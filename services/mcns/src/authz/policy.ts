// Who may change what (the record-level rules on top of the access map):
//  - admin: everything;
//  - system account "mcp-agent": any record in any zone;
//  - other system accounts: only records named after themselves ("mcq" → mcq.<zone>);
//  - humans: read-only; guests: nothing;
//  - zone mutations: admin only (enforced by the access map).

import { AppError } from "@metacircular/mcdsl/errors";
import type { Identity } from "@metacircular/mcdsl/http";
import { lowerName } from "../dns/name.ts";

export const MCP_AGENT = "mcp-agent";

const isAdmin = (id: Identity) => id.roles.includes("admin");
const isGuest = (id: Identity) => id.roles.includes("guest") && !isAdmin(id);

export function assertCanRead(id: Identity): void {
  if (isGuest(id))
    throw AppError.forbidden("guest accounts cannot use the DNS API", "guest_denied");
}

/** May `id` create/change/delete a record whose owner is `fqdn` in `zone` (both absolute)? */
export function canManageRecord(id: Identity, fqdn: string, zone: string): boolean {
  if (isAdmin(id)) return true;
  if (id.accountType !== "system" || isGuest(id)) return false;
  if (id.username === MCP_AGENT) return true;
  return lowerName(fqdn) === `${lowerName(id.username)}.${lowerName(zone)}`;
}

export function assertCanManageRecord(id: Identity, fqdn: string, zone: string): void {
  if (canManageRecord(id, fqdn, zone)) return;
  if (id.accountType === "human" && !isAdmin(id))
    throw AppError.forbidden("human accounts have read-only access to records", "read_only");
  throw AppError.forbidden(`account ${id.username} may not manage ${fqdn}`, "record_forbidden");
}
