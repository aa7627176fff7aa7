// The account key: generated (ES256 default, RS256, EdDSA) or imported from PKCS#8, its public
// JWK and thumbprint, and flattened JWS signing (RFC 8555 §6.2) and EAB MACs (§7.3.4).

import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import { calculateJwkThumbprint, type FlattenedJWS, FlattenedSign, type JWK } from "jose";

export type AccountAlg = "ES256" | "RS256" | "EdDSA";

export interface AccountKey {
  alg: AccountAlg;
  privateKey: KeyObject;
  jwk: JWK;
  thumbprint: string;
  /** PKCS#8 PEM, to keep the account across runs. */
  pem: string;
}

function algOf(k: KeyObject): AccountAlg {
  if (k.asymmetricKeyType === "rsa") return "RS256";
  if (k.asymmetricKeyType === "ed25519") return "EdDSA";
  if (k.asymmetricKeyType === "ec" && k.asymmetricKeyDetails?.namedCurve === "prime256v1")
    return "ES256";
  throw new Error("account keys are P-256, RSA or Ed25519");
}

export async function importAccountKey(pem: string): Promise<AccountKey> {
  const privateKey = createPrivateKey(pem);
  const full = createPublicKey(privateKey).export({ format: "jwk" }) as JWK;
  const jwk: JWK =
    full.kty === "RSA"
      ? { e: full.e!, kty: "RSA", n: full.n! }
      : full.kty === "OKP"
        ? { crv: full.crv!, kty: "OKP", x: full.x! }
        : { crv: full.crv!, kty: "EC", x: full.x!, y: full.y! };
  return {
    alg: algOf(privateKey),
    privateKey,
    jwk,
    thumbprint: await calculateJwkThumbprint(jwk, "sha256"),
    pem,
  };
}

export function generateAccountKey(alg: AccountAlg = "ES256"): Promise<AccountKey> {
  const pair =
    alg === "RS256"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : alg === "EdDSA"
        ? generateKeyPairSync("ed25519")
        : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return importAccountKey(pair.privateKey.export({ format: "pem", type: "pkcs8" }) as string);
}

export type Signer = { kid: string } | { jwk: JWK };

export function signJws(
  key: AccountKey,
  who: Signer,
  url: string,
  nonce: string | undefined,
  payload: unknown,
): Promise<FlattenedJWS> {
  const bytes =
    payload === "" ? new Uint8Array() : new TextEncoder().encode(JSON.stringify(payload));
  return new FlattenedSign(bytes)
    .setProtectedHeader({ alg: key.alg, ...who, ...(nonce ? { nonce } : {}), url })
    .sign(key.privateKey);
}

/** The externalAccountBinding member of newAccount: the account JWK MACed with the EAB key. */
export function eabBinding(
  key: AccountKey,
  kid: string,
  hmacKey: string,
  url: string,
): Promise<FlattenedJWS> {
  return new FlattenedSign(new TextEncoder().encode(JSON.stringify(key.jwk)))
    .setProtectedHeader({ alg: "HS256", kid, url })
    .sign(Buffer.from(hmacKey, "base64url"));
}
