// Key-based redaction applied to every log object, at any depth. A key is secret when its
// normalised name (lower case, no "_" or "-") matches one of the patterns below; ids of secrets
// (token_id, key_id, ...) stay visible because they are what operators correlate on.

export const REDACTED = "[REDACTED]";

/** Normalised key fragments that mark a value as secret. */
export const REDACT_KEYS: readonly string[] = [
  "password",
  "passwd",
  "passphrase",
  "secret",
  "token",
  "privatekey",
  "apikey",
  "signingkey",
  "hmackey",
  "sessionkey",
  "totp",
  "otp",
  "cookie",
  "authorization",
  "csrf",
  "credential",
];

const EXACT_KEYS = new Set(["key", "code", "pin", "seed"]);
const ID_SUFFIXES = ["id", "ids", "count", "type", "ttl", "expiry", "expiresat", "length"];

function normalise(key: string): string {
  return key.toLowerCase().replace(/[-_ ]/g, "");
}

export function isSecretKey(key: string): boolean {
  const k = normalise(key);
  if (EXACT_KEYS.has(k)) return true;
  if (!REDACT_KEYS.some((frag) => k.includes(frag))) return false;
  if (REDACT_KEYS.includes(k)) return true;
  // token_id, password_length, key_type: descriptions of a secret, not the secret.
  return !ID_SUFFIXES.some((s) => k.endsWith(s));
}

const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

/** Masks bearer/basic credentials that ended up inside a string value. */
export function scrubString(s: string): string {
  return s.includes("Bearer") || s.includes("Basic") ? s.replace(BEARER, `$1 ${REDACTED}`) : s;
}

/** Returns a copy of `value` with secret keys replaced. Cycles are cut, depth is bounded. */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return scrubString(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 12 || seen.has(value)) return "[Circular]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
  if (value instanceof Error) return redactError(value, depth, seen);
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      isSecretKey(k) && v !== undefined && v !== null ? REDACTED : redact(v, depth + 1, seen);
  }
  return out;
}

function redactError(e: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: e.name,
    message: scrubString(e.message),
    stack: e.stack === undefined ? undefined : scrubString(e.stack),
  };
  for (const [k, v] of Object.entries(e)) {
    out[k] = isSecretKey(k) ? REDACTED : redact(v, depth + 1, seen);
  }
  if (e.cause !== undefined) out.cause = redact(e.cause, depth + 1, seen);
  return out;
}
