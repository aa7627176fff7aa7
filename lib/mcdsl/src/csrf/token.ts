// CSRF tokens bound to a session: token = HMAC-SHA256(serverKey, "csrf:" + sessionId). Nothing
// is stored server-side; verification recomputes and compares in constant time.
import { createHmac, timingSafeEqual } from "node:crypto";

export const MIN_CSRF_KEY_BYTES = 32;

export function checkCsrfKey(key: Buffer): void {
  if (key.length < MIN_CSRF_KEY_BYTES)
    throw new Error(`CSRF key must be at least ${MIN_CSRF_KEY_BYTES} bytes`);
}

export function csrfToken(sessionId: string, key: Buffer): string {
  return createHmac("sha256", key).update(`csrf:${sessionId}`).digest("base64url");
}

export function verifyCsrfToken(
  sessionId: string,
  token: string | undefined,
  key: Buffer,
): boolean {
  if (!token || !sessionId) return false;
  const want = Buffer.from(csrfToken(sessionId, key));
  const got = Buffer.from(token);
  return got.length === want.length && timingSafeEqual(got, want);
}
