// "Sudo mode" for sensitive self-service changes: the caller must have authenticated (password,
// TOTP or passkey) within a window, not merely hold a valid, possibly renewed, session token.
import { AppError } from "@metacircular/mcdsl/errors";
import type { TokenIdentity } from "../tokens/tokens.ts";

export function requireRecentAuth(
  id: Pick<TokenIdentity, "authTime">,
  maxAgeS: number,
  now: number,
): void {
  if (now - id.authTime > maxAgeS * 1000)
    throw AppError.unauthenticated(
      `sign in again: this change needs a sign-in within the last ${Math.round(maxAgeS / 60)} minutes`,
      "reauthentication_required",
    );
}
