// Minimal compact JWS (RFC 7515) with EdDSA/Ed25519 only, via node:crypto. The parser is
// total: any input that is not a well-formed, correctly signed token yields an error result,
// never an exception.
import { type KeyObject, sign, verify } from "node:crypto";

export interface JwsHeader {
  alg: "EdDSA";
  typ: "JWT";
  kid: string;
}

export type ParseResult =
  | { ok: true; header: JwsHeader; payload: Record<string, unknown> }
  | { ok: false; reason: string };

const B64URL = /^[A-Za-z0-9_-]*$/;
const MAX_TOKEN_LENGTH = 8192;

function b64(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

export function signJws(header: JwsHeader, payload: object, key: KeyObject): string {
  const signingInput = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
  const sig = sign(null, Buffer.from(signingInput), key);
  return `${signingInput}.${b64(sig)}`;
}

function parseJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return v !== null && typeof v === "object" && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Splits and decodes a token without checking the signature (for key lookup). */
export function decodeJws(token: unknown):
  | {
      ok: true;
      header: JwsHeader;
      payload: Record<string, unknown>;
      signingInput: string;
      signature: Buffer;
    }
  | { ok: false; reason: string } {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH)
    return { ok: false, reason: "malformed" };
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed" };
  const [h, p, s] = parts as [string, string, string];
  if (!B64URL.test(h) || !B64URL.test(p) || !B64URL.test(s))
    return { ok: false, reason: "malformed" };
  const header = parseJsonObject(h);
  const payload = parseJsonObject(p);
  if (!header || !payload) return { ok: false, reason: "malformed" };
  if (header.alg !== "EdDSA" || typeof header.kid !== "string" || header.kid.length > 128)
    return { ok: false, reason: "unsupported_header" };
  if (header.crit !== undefined) return { ok: false, reason: "unsupported_header" };
  const signature = Buffer.from(s, "base64url");
  if (signature.length !== 64) return { ok: false, reason: "bad_signature" };
  return {
    ok: true,
    header: { alg: "EdDSA", typ: "JWT", kid: header.kid },
    payload,
    signingInput: `${h}.${p}`,
    signature,
  };
}

export function verifyJws(
  token: unknown,
  keyFor: (kid: string) => KeyObject | undefined,
): ParseResult {
  const d = decodeJws(token);
  if (!d.ok) return d;
  const key = keyFor(d.header.kid);
  if (!key) return { ok: false, reason: "unknown_key" };
  let good = false;
  try {
    good = verify(null, Buffer.from(d.signingInput), key, d.signature);
  } catch {
    good = false;
  }
  if (!good) return { ok: false, reason: "bad_signature" };
  return { ok: true, header: d.header, payload: d.payload };
}
