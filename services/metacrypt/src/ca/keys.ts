// Key types a CA issues and signs with: ECDSA P-256/P-384, Ed25519, RSA 2048/3072/4096.
// Private keys travel as PKCS#8 DER inside the mount's encrypted store only.

import { generateKeyPair, generateKeyPairSync, type KeyObject, type webcrypto } from "node:crypto";
import { promisify } from "node:util";
import { AppError } from "@metacircular/mcdsl/errors";
import { z } from "zod";
import {
  type Algorithm,
  type CryptoKey,
  type CryptoKeyPair,
  type EcdsaParams,
  subtle,
} from "./x509.ts";

export const keyType = z.enum([
  "ec-p256",
  "ec-p384",
  "ed25519",
  "rsa-2048",
  "rsa-3072",
  "rsa-4096",
]);
export type KeyType = z.infer<typeof keyType>;

type Alg = webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams | Algorithm;

function genParams(t: KeyType): Alg {
  switch (t) {
    case "ec-p256":
      return { name: "ECDSA", namedCurve: "P-256" };
    case "ec-p384":
      return { name: "ECDSA", namedCurve: "P-384" };
    case "ed25519":
      return { name: "Ed25519" };
    default:
      return {
        name: "RSASSA-PKCS1-v1_5",
        modulusLength: Number(t.slice(4)),
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: "SHA-256",
      };
  }
}

/** The signature algorithm a key of this type signs certificates, CRLs and OCSP with. */
export function signingAlgorithm(t: KeyType): Algorithm | EcdsaParams {
  if (t === "ec-p256") return { name: "ECDSA", hash: "SHA-256" } as EcdsaParams;
  if (t === "ec-p384") return { name: "ECDSA", hash: "SHA-384" } as EcdsaParams;
  if (t === "ed25519") return { name: "Ed25519" };
  return { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as Algorithm;
}

export async function generateKey(t: KeyType): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(genParams(t), true, ["sign", "verify"])) as CryptoKeyPair;
}

/** A leaf's new key pair as bytes: the SPKI DER (for the certificate) and the PKCS#8 PEM. */
export interface LeafKey {
  spki: Buffer;
  pkcs8Pem: string;
}

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * A leaf key from node:crypto directly: EC and Ed25519 synchronously (well under a millisecond),
 * RSA on the thread pool. No WebCrypto key objects and no exportKey round trips.
 */
export async function generateLeafKey(t: KeyType): Promise<LeafKey> {
  let pair: { publicKey: KeyObject; privateKey: KeyObject };
  if (t === "ed25519") pair = generateKeyPairSync("ed25519");
  else if (t.startsWith("ec-"))
    pair = generateKeyPairSync("ec", { namedCurve: t === "ec-p256" ? "P-256" : "P-384" });
  else pair = await generateKeyPairAsync("rsa", { modulusLength: Number(t.slice(4)) });
  return {
    spki: pair.publicKey.export({ type: "spki", format: "der" }),
    pkcs8Pem: pair.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
  };
}

export async function exportPkcs8(k: CryptoKey): Promise<Buffer> {
  return Buffer.from(await subtle.exportKey("pkcs8", k));
}

export async function importSigningKey(t: KeyType, pkcs8: Buffer): Promise<CryptoKey> {
  const p = genParams(t);
  const alg = "hash" in p ? { name: p.name, hash: p.hash } : p;
  return subtle.importKey("pkcs8", pkcs8, alg as Algorithm, false, ["sign"]);
}

export function pkcs8Pem(der: Buffer): string {
  const b64 = der
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .trimEnd();
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

/** The key type of a CSR's public key (RSA below 2048 bits is refused). */
export function keyTypeOfSpki(alg: {
  name: string;
  namedCurve?: string;
  modulusLength?: number;
}): KeyType {
  if (alg.name === "ECDSA" && alg.namedCurve === "P-256") return "ec-p256";
  if (alg.name === "ECDSA" && alg.namedCurve === "P-384") return "ec-p384";
  if (alg.name === "Ed25519") return "ed25519";
  if (alg.name.startsWith("RSA") && alg.modulusLength) {
    if (alg.modulusLength < 2048)
      throw AppError.badRequest("weak_key", "RSA keys must be at least 2048 bits");
    const bits = alg.modulusLength;
    return bits >= 4096 ? "rsa-4096" : bits >= 3072 ? "rsa-3072" : "rsa-2048";
  }
  throw AppError.badRequest("unsupported_key", `unsupported key algorithm ${alg.name}`);
}
