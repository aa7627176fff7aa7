// The certificate key and its CSR (@peculiar/x509): a fresh key per order, the names as SANs
// (the first also as CN), signed by that key. The private key leaves as PKCS#8 PEM.

import { webcrypto } from "node:crypto";
import { x509 } from "./x509.ts";

export type CertKeyType = "ec-p256" | "ec-p384" | "rsa-2048";

const ALG: Record<CertKeyType, webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams> = {
  "ec-p256": { name: "ECDSA", namedCurve: "P-256" },
  "ec-p384": { name: "ECDSA", namedCurve: "P-384" },
  "rsa-2048": {
    name: "RSASSA-PKCS1-v1_5",
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: "SHA-256",
  },
};

export interface KeyAndCsr {
  privateKeyPem: string;
  csrDer: Buffer;
}

export async function keyAndCsr(
  names: string[],
  type: CertKeyType = "ec-p256",
): Promise<KeyAndCsr> {
  const alg = ALG[type];
  const keys = (await webcrypto.subtle.generateKey(alg, true, [
    "sign",
    "verify",
  ])) as webcrypto.CryptoKeyPair;
  const signingAlgorithm =
    alg.name === "ECDSA"
      ? { name: "ECDSA", hash: type === "ec-p384" ? "SHA-384" : "SHA-256" }
      : alg;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${names[0]!.replace(/^\*\./, "wildcard.")}`,
    keys: keys as unknown as Parameters<
      typeof x509.Pkcs10CertificateRequestGenerator.create
    >[0]["keys"],
    signingAlgorithm,
    extensions: [
      new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: "dns", value }))),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    privateKeyPem: x509.PemConverter.encode(pkcs8, "PRIVATE KEY"),
    csrDer: Buffer.from(csr.rawData),
  };
}
