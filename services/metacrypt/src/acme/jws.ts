// arch: parser
// The JWS envelope of every ACME POST (RFC 8555 §6.2): flattened JSON serialization only, a
// protected header with alg, nonce, url and exactly one of jwk/kid, no unprotected header.
// Parsing is strict (unknown members, duplicate keys, non-base64url text are `malformed`);
// signatures are checked with jose. Algorithms: ES256, ES384, RS256, EdDSA (Ed25519).

import { parseStrictJson } from "@metacircular/mcdsl/http";
import { calculateJwkThumbprint, flattenedVerify, importJWK, type JWK } from "jose";
import { AcmeProblem, problem } from "./problem.ts";

export const ALGORITHMS = ["ES256", "ES384", "RS256", "EdDSA"] as const;
const KEY_FOR_ALG: Record<string, (k: JWK) => boolean> = {
  ES256: (k) => k.kty === "EC" && k.crv === "P-256",
  ES384: (k) => k.kty === "EC" && k.crv === "P-384",
  RS256: (k) => k.kty === "RSA",
  EdDSA: (k) => k.kty === "OKP" && k.crv === "Ed25519",
};
const B64URL = /^[A-Za-z0-9_-]*$/;

export interface FlattenedJws {
  protected: string;
  payload: string;
  signature: string;
}

export type KeyRef = { kind: "jwk"; jwk: JWK } | { kind: "kid"; kid: string };

export interface ParsedJws {
  jws: FlattenedJws;
  alg: string;
  nonce: string | undefined;
  url: string;
  key: KeyRef;
}

const malformed = (why: string) => problem("malformed", why);

/** Strict JSON text → a plain object, or malformed. */
export function strictObject(text: string, what: string): Record<string, unknown> {
  const r = parseStrictJson(text);
  if (!r.ok) throw malformed(`${what}: ${r.message}`);
  const v = r.value;
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw malformed(`${what} must be a JSON object`);
  return v as Record<string, unknown>;
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const k of Object.keys(o))
    if (!allowed.includes(k)) throw malformed(`${what} has an unexpected member "${k}"`);
}

function b64(v: unknown, what: string): string {
  if (typeof v !== "string" || !B64URL.test(v)) throw malformed(`${what} is not base64url`);
  return v;
}

export function decodeB64Json(v: string, what: string): Record<string, unknown> {
  return strictObject(Buffer.from(v, "base64url").toString("utf8"), what);
}

/** A public key as ACME accepts it, reduced to its required members (RFC 7638 order). */
export function publicJwk(v: unknown): JWK {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw problem("badPublicKey", "jwk must be an object");
  const k = v as Record<string, unknown>;
  if ("d" in k || "p" in k || "k" in k)
    throw problem("badPublicKey", "jwk must not contain private or symmetric key material");
  const str = (name: string) => {
    const s = k[name];
    if (typeof s !== "string" || s.length === 0 || !B64URL.test(s) || s.length > 2048)
      throw problem("badPublicKey", `jwk.${name} is missing or not base64url`);
    return s;
  };
  if (k.kty === "EC" && (k.crv === "P-256" || k.crv === "P-384"))
    return { crv: k.crv, kty: "EC", x: str("x"), y: str("y") };
  if (k.kty === "RSA") {
    const n = str("n");
    // jose would refuse a shorter modulus only at verification, as a bad signature.
    if (Buffer.from(n, "base64url").length < 256)
      throw problem("badPublicKey", "RSA keys must have at least 2048 bits");
    return { e: str("e"), kty: "RSA", n };
  }
  if (k.kty === "OKP" && k.crv === "Ed25519") return { crv: "Ed25519", kty: "OKP", x: str("x") };
  throw problem("badPublicKey", "unsupported key type (EC P-256/P-384, RSA, Ed25519)");
}

function keyRef(h: Record<string, unknown>): KeyRef {
  const hasJwk = "jwk" in h;
  const hasKid = "kid" in h;
  if (hasJwk === hasKid) throw malformed("the protected header needs exactly one of jwk and kid");
  if (hasJwk) return { kind: "jwk", jwk: publicJwk(h.jwk) };
  if (typeof h.kid !== "string" || h.kid.length === 0) throw malformed("kid must be a string");
  return { kind: "kid", kid: h.kid };
}

/** Structure only: the caller checks url, nonce and then the signature. */
export function parseJws(body: string): ParsedJws {
  const o = strictObject(body, "request body");
  onlyKeys(o, ["protected", "payload", "signature"], "the JWS");
  const jws: FlattenedJws = {
    protected: b64(o.protected, "protected"),
    payload: b64(o.payload, "payload"),
    signature: b64(o.signature, "signature"),
  };
  if (jws.protected === "" || jws.signature === "") throw malformed("empty protected or signature");
  const h = decodeB64Json(jws.protected, "protected header");
  onlyKeys(h, ["alg", "nonce", "url", "jwk", "kid"], "the protected header");
  if (typeof h.alg !== "string") throw malformed("alg must be a string");
  if (!(ALGORITHMS as readonly string[]).includes(h.alg))
    throw new AcmeProblem("badSignatureAlgorithm", `unsupported alg ${h.alg.slice(0, 20)}`, {
      algorithms: [...ALGORITHMS],
    });
  if (typeof h.url !== "string" || h.url.length === 0) throw malformed("url must be a string");
  if (h.nonce !== undefined && (typeof h.nonce !== "string" || !B64URL.test(h.nonce)))
    throw problem("badNonce", "nonce must be a base64url string");
  return { jws, alg: h.alg, nonce: h.nonce as string | undefined, url: h.url, key: keyRef(h) };
}

/** Checks the signature with the given public key; the algorithm must fit the key. */
export async function verifyJws(p: ParsedJws, jwk: JWK): Promise<void> {
  if (!KEY_FOR_ALG[p.alg]!(jwk))
    throw new AcmeProblem("badSignatureAlgorithm", `alg ${p.alg} does not fit the account key`, {
      algorithms: [...ALGORITHMS],
    });
  try {
    const key = await importJWK(jwk, p.alg);
    await flattenedVerify(p.jws, key, { algorithms: [p.alg] });
  } catch (e) {
    if (e instanceof AcmeProblem) throw e;
    throw malformed("the JWS signature does not verify");
  }
}

/** The payload: undefined for POST-as-GET (empty payload), else a JSON object. */
export function payloadOf(p: ParsedJws): Record<string, unknown> | undefined {
  if (p.jws.payload === "") return undefined;
  return decodeB64Json(p.jws.payload, "payload");
}

export const thumbprint = (jwk: JWK): Promise<string> => calculateJwkThumbprint(jwk, "sha256");
