// What each transit key type is made of and the one thing it does: AEAD for the encryption types,
// signatures for the signing types, MACs for hmac. Every version of a key holds fresh material.
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
} from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";

export const KEY_TYPES = [
  "aes256-gcm",
  "chacha20-poly1305",
  "ed25519",
  "ecdsa-p256",
  "ecdsa-p384",
  "hmac",
] as const;
export type TransitKeyType = (typeof KEY_TYPES)[number];

export type KeyPurpose = "encryption" | "signing" | "hmac";

export function purposeOf(type: TransitKeyType): KeyPurpose {
  switch (type) {
    case "aes256-gcm":
    case "chacha20-poly1305":
      return "encryption";
    case "ed25519":
    case "ecdsa-p256":
    case "ecdsa-p384":
      return "signing";
    case "hmac":
      return "hmac";
  }
}

/** Fresh material: raw key bytes, or a PKCS#8 DER private key for the signing types. */
export function generateMaterial(type: TransitKeyType): Buffer {
  switch (type) {
    case "aes256-gcm":
    case "chacha20-poly1305":
    case "hmac":
      return randomBytes(32);
    case "ed25519":
      return generateKeyPairSync("ed25519").privateKey.export({ format: "der", type: "pkcs8" });
    case "ecdsa-p256":
    case "ecdsa-p384": {
      const namedCurve = type === "ecdsa-p256" ? "P-256" : "P-384";
      const { privateKey } = generateKeyPairSync("ec", { namedCurve });
      return privateKey.export({ format: "der", type: "pkcs8" });
    }
  }
}

const NONCE = 12;
const TAG = 16;
type AeadType = "aes256-gcm" | "chacha20-poly1305";

function cipher(type: AeadType, key: Buffer, nonce: Buffer) {
  const opts = { authTagLength: TAG };
  return type === "aes256-gcm"
    ? createCipheriv("aes-256-gcm", key, nonce, opts)
    : createCipheriv("chacha20-poly1305", key, nonce, opts);
}

function decipher(type: AeadType, key: Buffer, nonce: Buffer) {
  const opts = { authTagLength: TAG };
  return type === "aes256-gcm"
    ? createDecipheriv("aes-256-gcm", key, nonce, opts)
    : createDecipheriv("chacha20-poly1305", key, nonce, opts);
}

/**
 * Fresh random nonces, drawn from the CSPRNG 256 at a time (one call per nonce dominated a batch
 * encrypt). Each slice of the pool is handed out once and never again; nonces are not secret.
 */
const POOL_NONCES = 256;
let pool = Buffer.alloc(0);
let poolAt = 0;

function freshNonce(): Buffer {
  if (poolAt + NONCE > pool.length) {
    pool = randomBytes(NONCE * POOL_NONCES);
    poolAt = 0;
  }
  const n = Buffer.from(pool.subarray(poolAt, poolAt + NONCE));
  poolAt += NONCE;
  return n;
}

/** nonce || ciphertext || tag, with `aad` authenticated. */
export function seal(type: AeadType, key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const nonce = freshNonce();
  const c = cipher(type, key, nonce);
  c.setAAD(aad, { plaintextLength: plaintext.length });
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([nonce, body, c.getAuthTag()]);
}

export function open(type: AeadType, key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < NONCE + TAG) throw decryptionFailed();
  const body = sealed.subarray(NONCE, sealed.length - TAG);
  const d = decipher(type, key, sealed.subarray(0, NONCE));
  d.setAAD(aad, { plaintextLength: body.length });
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([d.update(body), d.final()]);
  } catch {
    throw decryptionFailed();
  }
}

function decryptionFailed(): AppError {
  return AppError.badRequest(
    "decryption_failed",
    "ciphertext does not authenticate under this key",
  );
}

export type SignHash = "sha256" | "sha384" | "sha512";

function hashFor(type: TransitKeyType, hash: SignHash | undefined): string | null {
  if (type === "ed25519") {
    if (hash !== undefined)
      throw AppError.badRequest("invalid_hash", "Ed25519 signs the input itself");
    return null;
  }
  return hash ?? (type === "ecdsa-p384" ? "sha384" : "sha256");
}

/** A signature (Ed25519, or ECDSA in ASN.1 DER as openssl writes it). */
export function signWith(
  type: TransitKeyType,
  der: Buffer,
  input: Buffer,
  hash?: SignHash,
): Buffer {
  const key = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  return sign(hashFor(type, hash), input, key);
}

export function verifyWith(
  type: TransitKeyType,
  der: Buffer,
  input: Buffer,
  signature: Buffer,
  hash?: SignHash,
): boolean {
  const key = createPublicKey(createPrivateKey({ key: der, format: "der", type: "pkcs8" }));
  try {
    return verify(hashFor(type, hash), input, key, signature);
  } catch {
    return false;
  }
}

/** The SPKI PEM public key of a signing key's material. */
export function publicKeyPem(der: Buffer): string {
  const key = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  return createPublicKey(key).export({ format: "pem", type: "spki" }).toString();
}

export function mac(key: Buffer, input: Buffer, hash: SignHash): Buffer {
  return createHmac(hash, key).update(input).digest();
}
