// Who may do what with documents. Reading (list, get, search, diff) and marking read/unread:
// any authenticated caller, guests included. Pushing: admins, and the account kinds listed in
// [documents] pushers ("user" = a human account that is not a guest, "system" = a system
// account). Deleting: admins and the account that pushed the current version.

import { AppError } from "@metacircular/mcdsl/errors";
import { type Identity, isAdmin, isGuest } from "@metacircular/mcdsl/identity";

export type PusherKind = "user" | "system";

export function mayPush(id: Identity, pushers: readonly PusherKind[]): boolean {
  if (isAdmin(id)) return true;
  if (id.accountType === "system") return pushers.includes("system");
  return !isGuest(id) && pushers.includes("user");
}

export function requirePush(id: Identity, pushers: readonly PusherKind[]): void {
  if (!mayPush(id, pushers))
    throw AppError.forbidden("this account may not push documents", "push_not_allowed");
}

export function requireDelete(id: Identity, pushedBy: string): void {
  if (!isAdmin(id) && id.username !== pushedBy)
    throw AppError.forbidden(
      "only an admin or the account that pushed it may delete a document",
      "delete_not_allowed",
    );
}
