// Username rules: case-normalised (NFKC + lower case), 2-64 characters of [a-z0-9._-],
// starting with a letter or digit; a fixed set of reserved names is refused.
import { AppError } from "@metacircular/mcdsl/errors";

export const RESERVED_USERNAMES = new Set([
  "root",
  "administrator",
  "system",
  "mcias",
  "anonymous",
  "nobody",
  "guest",
  "everyone",
  "support",
  "security",
  "postmaster",
  "hostmaster",
  "webmaster",
  "null",
  "undefined",
]);

const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export function normaliseUsername(raw: string): string {
  return raw.normalize("NFKC").trim().toLowerCase();
}

/** Normalises and validates a new username; throws AppError 400 on a bad or reserved name. */
export function checkNewUsername(raw: string): string {
  const name = normaliseUsername(raw);
  if (!USERNAME_RE.test(name))
    throw AppError.badRequest(
      "invalid_username",
      "username must be 2-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit",
    );
  if (RESERVED_USERNAMES.has(name))
    throw AppError.badRequest("reserved_username", `the username "${name}" is reserved`);
  return name;
}
