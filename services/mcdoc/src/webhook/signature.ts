// Webhook signatures: Gitea's X-Gitea-Signature (hex HMAC-SHA256 of the raw body) and GitHub's
// X-Hub-Signature-256 ("sha256=" + the same hex). Compared in constant time over equal-length
// digests; a malformed header is simply a bad signature.
import { createHmac, timingSafeEqual } from "node:crypto";

export type SignatureCheck =
  | { ok: true; scheme: "gitea" | "github" }
  | { ok: false; code: "signature_missing" | "signature_invalid" };

export interface SignatureHeaders {
  gitea?: string | undefined;
  github?: string | undefined;
}

export function sign(secret: Buffer | string, body: Buffer): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

function matches(expected: Buffer, given: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return false;
  return timingSafeEqual(expected, Buffer.from(given, "hex"));
}

export function checkSignature(secret: Buffer, body: Buffer, h: SignatureHeaders): SignatureCheck {
  if (h.gitea === undefined && h.github === undefined)
    return { ok: false, code: "signature_missing" };
  const expected = createHmac("sha256", secret).update(body).digest();
  if (h.gitea !== undefined) {
    return matches(expected, h.gitea.trim())
      ? { ok: true, scheme: "gitea" }
      : { ok: false, code: "signature_invalid" };
  }
  const gh = (h.github ?? "").trim();
  return gh.startsWith("sha256=") && matches(expected, gh.slice(7))
    ? { ok: true, scheme: "github" }
    : { ok: false, code: "signature_invalid" };
}
