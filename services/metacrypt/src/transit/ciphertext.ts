// arch: parser
// The transit wire strings: "metacrypt:v<version>:<base64>" for ciphertexts, signatures and HMACs.
// The version says which key version made it; parsing is strict (canonical decimal, canonical
// base64) so one value has exactly one spelling and nothing else reaches the crypto.
import { AppError } from "@metacircular/mcdsl/errors";

export const PREFIX = "metacrypt:v";
/** Versions are positive 32-bit integers. */
export const MAX_VERSION = 0xffff_ffff;
/** Longest string accepted (a 4 MiB plaintext's ciphertext is ~5.6 MiB of base64). */
const MAX_LENGTH = 8 * 1024 * 1024;

export interface Versioned {
  version: number;
  payload: Buffer;
}

export function formatVersioned(version: number, payload: Buffer): string {
  return `${PREFIX}${version}:${payload.toString("base64")}`;
}

function malformed(what: string, why: string): AppError {
  return AppError.badRequest(`malformed_${what}`, `${what} is malformed: ${why}`);
}

/** Parse a versioned string; `what` names it in errors (ciphertext, signature, hmac). */
export function parseVersioned(value: unknown, what = "ciphertext"): Versioned {
  if (typeof value !== "string") throw malformed(what, "not a string");
  if (value.length > MAX_LENGTH) throw malformed(what, "too long");
  if (!value.startsWith(PREFIX)) throw malformed(what, `does not start with ${PREFIX}`);
  const rest = value.slice(PREFIX.length);
  const colon = rest.indexOf(":");
  if (colon < 0) throw malformed(what, "no version separator");
  const digits = rest.slice(0, colon);
  if (!/^[1-9][0-9]{0,9}$/.test(digits) || Number(digits) > MAX_VERSION) {
    throw malformed(what, "version is not a positive integer");
  }
  const b64 = rest.slice(colon + 1);
  if (b64.length === 0 || b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    throw malformed(what, "payload is not base64");
  }
  const payload = Buffer.from(b64, "base64");
  if (payload.toString("base64") !== b64) throw malformed(what, "payload is not canonical base64");
  return { version: Number(digits), payload };
}
