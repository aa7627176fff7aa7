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
  "cookie",
  "authorization",
  "csrf",
  "credential",
];

const EXACT_KEYS = new Set(["key", "pin", "seed", "authcode", "otp", "otpcode", "code2fa"]);
const ID_SUFFIXES = ["id", "ids", "count", "type", "ttl", "expiry", "expiresat", "length"];

function normalise(key: string): string {
  return key.toLowerCase().replace(/[-_ ]/g, "");
}

// Log keys come from code, so there are few distinct ones: remember each verdict (bounded, in
// case keys are ever built from data) instead of normalising on every log line.
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 4096;

export function isSecretKey(key: string): boolean {
  const known = verdicts.get(key);
  if (known !== undefined) return known;
  const verdict = classify(key);
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  verdicts.set(key, verdict);
  return verdict;
}

function classify(key: string): boolean {
  const k = normalise(key);
  if (EXACT_KEYS.has(k)) return true;
  if (!REDACT_KEYS.some((frag) => k.includes(frag))) return false;
  if (REDACT_KEYS.includes(k)) return true;
  // token_id, password_length, key_type: descriptions of a secret, not the secret.
  return !ID_SUFFIXES.some((s) => k.endsWith(s));
}

const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
const QUERY_SECRET =
  /([?&](?:access_token|refresh_token|id_token|token|code|password|secret|client_secret|api_key|key)=)[^&#\s"]+/gi;

/** Masks bearer/basic credentials and secret query parameters inside a string value. */
export function scrubString(s: string): string {
  let out = s;
  if (out.includes("Bearer") || out.includes("Basic")) out = out.replace(BEARER, `$1 ${REDACTED}`);
  if (out.includes("=")) out = out.replace(QUERY_SECRET, `$1${REDACTED}`);
  return out;
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
  if (value instanceof Headers || value instanceof Map) {
    return redact(Object.fromEntries(value.entries()), depth + 1, seen);
  }
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
