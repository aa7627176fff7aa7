// The certificate key and its CSR (@peculiar/x509): a fresh key per order, the names as SANs
// (the first also as CN, when it fits), signed by that key. The private key leaves as PKCS#8 PEM.

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
  // The CN is one of the requested names verbatim (a wildcard included: RFC 8555 §7.4 counts
  // the CN as an identifier, so any other value fails a server that checks it), and is left out
  // when longer than X.520's 64 characters; the SANs carry every name either way.
  const first = names[0]!;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    ...(first.length <= 64 ? { name: `CN=${first}` } : {}),
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
