// Signed session values: "v1.<payload>.<expiry>.<mac>" where payload is base64url JSON, expiry
// is unix seconds and mac = HMAC-SHA256(key, "v1.<payload>.<expiry>"). Signed, not encrypted:
// the browser can read the payload, so never put secrets in it.
import { createHmac, timingSafeEqual } from "node:crypto";

const VERSION = "v1";
export const MIN_KEY_BYTES = 32;

export type SessionKeys = Buffer | Buffer[];

export function keyList(keys: SessionKeys): Buffer[] {
  const list = Array.isArray(keys) ? keys : [keys];
  if (list.length === 0) throw new Error("at least one session key is required");
  for (const k of list) {
    if (k.length < MIN_KEY_BYTES)
      throw new Error(`session keys must be at least ${MIN_KEY_BYTES} bytes`);
  }
  return list;
}

function mac(key: Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/** Signs `payload` with the first key; valid until `expiresAt` (unix seconds). */
export function seal(payload: unknown, expiresAt: number, keys: SessionKeys): string {
  const [key] = keyList(keys);
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  const signed = `${VERSION}.${body}.${Math.floor(expiresAt)}`;
  return `${signed}.${mac(key!, signed).toString("base64url")}`;
}

export type OpenResult<T> =
  | { ok: true; payload: T; expiresAt: number }
  | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

/** Verifies against every key (rotation), then the expiry. */
export function unseal<T = unknown>(
  value: string,
  keys: SessionKeys,
  nowSec = Date.now() / 1000,
): OpenResult<T> {
  const parts = value.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION || !/^\d{1,12}$/.test(parts[2]!)) {
    return { ok: false, reason: "malformed" };
  }
  const signed = parts.slice(0, 3).join(".");
  const given = Buffer.from(parts[3]!, "base64url");
  const good = keyList(keys).some((k) => {
    const want = mac(k, signed);
    return given.length === want.length && timingSafeEqual(given, want);
  });
  if (!good) return { ok: false, reason: "bad_signature" };
  const expiresAt = Number(parts[2]);
  if (expiresAt <= nowSec) return { ok: false, reason: "expired" };
  try {
    return {
      ok: true,
      payload: JSON.parse(Buffer.from(parts[1]!, "base64url").toString()) as T,
      expiresAt,
    };
  } catch {
    return { ok: false, reason: "malformed" };
  }
}
